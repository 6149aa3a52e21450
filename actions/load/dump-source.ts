/**
 * Where a dump comes from: a local file, an S3 object, or the newest `gghouse_YYYYMMDD.sql[.gz]`
 * under an S3 prefix. Whatever the source, the result is a stream of bytes, decompressed when
 * the first bytes are gzip's magic number (not when the name ends in .gz). S3 objects are
 * streamed as they download; a connection that breaks mid-object is resumed with a ranged GET
 * from the byte where it stopped (pinned to the object's ETag so a replaced object is noticed).
 */
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import { classifyAwsError, describeAwsError, isRetryable } from '../platform/aws-errors.ts';
import { PipelineError, UsageError } from '../platform/errors.ts';

export interface DumpSource {
  /** What to print: the path or s3:// URL. */
  readonly name: string;
  /** Stored size in bytes (compressed size for gzip), when known. */
  readonly size?: number;
  /** The date in the file name (gghouse_YYYYMMDD), when there is one. */
  readonly date?: string;
  /** The stored bytes, as they arrive. */
  open(): AsyncIterable<Buffer>;
  /** A local file's path (parse-only reads it into one reused buffer: see parse-dump.ts). */
  readonly path?: string;
}

export interface ResolveOptions {
  /** Under an S3 prefix: the dump of this date (YYYYMMDD) instead of the newest. */
  date?: string;
  /** An S3 client (only needed for s3:// sources). */
  s3?: () => S3Client;
  /** Attempts per S3 object when the connection breaks. Default 5. */
  retries?: number;
  /** Delay before retry n (ms). Default 200·2^n. */
  backoffMs?: (attempt: number) => number;
  log?: (message: string) => void;
}

/** A dump a prefix listing may pick: `gghouse_YYYYMMDD.sql` or `.sql.gz`, nothing else. */
const DUMP_NAME = /(?:^|\/)gghouse_(\d{8})\.sql(?:\.gz)?$/;
/** The date of a dump's name: `gghouse_YYYYMMDD` at the start of the file name, whatever follows. */
const DATED_NAME = /(?:^|\/)gghouse_(\d{4})(\d{2})(\d{2})(?!\d)[^/]*$/;

/** YYYYMMDD from a name starting `gghouse_YYYYMMDD` (`gghouse_20260205_trunc.sql.gz` too), if a real date. */
export function dateOfName(name: string): string | undefined {
  const m = DATED_NAME.exec(name);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return `${m[1]}${m[2]}${m[3]}`;
}

function dumpDateOfKey(key: string): string | undefined {
  return DUMP_NAME.test(key) ? dateOfName(key) : undefined;
}

export async function resolveDumpSource(spec: string, o: ResolveOptions = {}): Promise<DumpSource> {
  if (!spec.startsWith('s3://')) {
    let size: number;
    try {
      const st = statSync(spec);
      if (!st.isFile()) throw new Error('not a file');
      size = st.size;
    } catch {
      throw new PipelineError(
        `the dump file ${spec} does not exist or is not a readable file. To fix this, pass --dump with the path of a mysqldump file (plain or gzip).`,
      );
    }
    return { name: spec, size, date: dateOfName(spec), path: spec, open: () => createReadStream(spec, { highWaterMark: 4 << 20 }) };
  }
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(spec);
  if (!m) throw new UsageError(`--dump ${spec} is not an S3 URL: expected s3://bucket/key or s3://bucket/prefix/`);
  if (!o.s3) throw new UsageError('an S3 source needs an S3 client');
  const client = o.s3();
  const bucket = m[1]!;
  let key = m[2]!;
  let size: number | undefined;
  if (key === '' || key.endsWith('/')) {
    const picked = await newestUnder(client, bucket, key, o.date);
    key = picked.key;
    size = picked.size;
  }
  const name = `s3://${bucket}/${key}`;
  return { name, size, date: dateOfName(key), open: () => s3Bytes(client, bucket, key, name, o) };
}

/** Lists every object under the prefix (paged: 1,000 keys a page) and picks the dump to load. */
async function newestUnder(client: S3Client, bucket: string, prefix: string, date?: string): Promise<{ key: string; size?: number }> {
  // The SDK is imported when an S3 dump is read, not when the loader is (a local load never needs it).
  const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
  let token: string | undefined;
  let best: { key: string; size?: number; date: string } | undefined;
  let seen = 0;
  do {
    let page;
    try {
      page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    } catch (err) {
      throw describeAwsError(err, 's3:ListBucket', `s3://${bucket}/${prefix}`);
    }
    for (const obj of page.Contents ?? []) {
      seen++;
      const d = obj.Key ? dumpDateOfKey(obj.Key) : undefined;
      if (!d || (date !== undefined && d !== date)) continue;
      // Same date twice (.sql and .sql.gz): prefer the later key name for a stable choice.
      if (!best || d > best.date || (d === best.date && obj.Key! > best.key)) best = { key: obj.Key!, size: obj.Size, date: d };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  if (!best) {
    const what = date ? `a dump of ${date} (gghouse_${date}.sql or .sql.gz)` : 'a dump named gghouse_YYYYMMDD.sql[.gz]';
    throw new PipelineError(
      `no ${what} under s3://${bucket}/${prefix} (${seen} objects listed). To fix this, check the prefix${date ? ' and --date' : ''}.`,
    );
  }
  return best;
}

async function* s3Bytes(client: S3Client, bucket: string, key: string, name: string, o: ResolveOptions): AsyncGenerator<Buffer> {
  const retries = o.retries ?? 5;
  const backoff = o.backoffMs ?? ((n: number) => 200 * 2 ** n);
  let offset = 0;
  let total: number | undefined;
  let etag: string | undefined;
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await client.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          Range: offset > 0 ? `bytes=${offset}-` : undefined,
          IfMatch: offset > 0 ? etag : undefined,
        }),
      );
      etag ??= res.ETag;
      if (total === undefined) total = res.ContentLength;
      for await (const chunk of res.Body as Readable) {
        offset += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      if (total !== undefined && offset < total)
        throw Object.assign(new Error(`connection closed after ${offset} of ${total} bytes`), { retriable: true });
      return;
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const kind = classifyAwsError(err);
      if (kind === 'not-found' || status === 404) {
        throw new PipelineError(`the dump ${name} does not exist. To fix this, check the bucket and key (or pass a prefix ending in '/').`);
      }
      if (status === 412)
        throw new PipelineError(
          `the dump ${name} was replaced while it was being read (its ETag changed). To fix this, run the load again.`,
        );
      // Worth another try: throttling, a 5xx, or the network breaking (no HTTP answer at all). Never
      // missing or refused credentials, nor any other answer of S3: those fail at once.
      const transient = isRetryable(err) || (status === undefined && kind === 'other');
      if (!transient || attempt >= retries) {
        const e = describeAwsError(err, 's3:GetObject', name);
        const tries = attempt > 0 ? ` after ${attempt + 1} attempts` : '';
        throw new PipelineError(`reading ${name} failed at byte ${offset}${tries}: ${e.message}`, { cause: err });
      }
      const message = (err as Error).message;
      o.log?.(`reading ${name} broke at byte ${offset} (${message}); resuming (attempt ${attempt + 2} of ${retries + 1})`);
      await new Promise((r) => setTimeout(r, backoff(attempt)));
    }
  }
}

/** The path of a local dump stored plain (not gzip): its offsets are the dump text's own. */
export function plainDumpFile(source: DumpSource): string | undefined {
  return source.path === undefined ? undefined : plainFileAt(source.path);
}

/** `path` when the file there is not gzip (by its magic number), else undefined; throws when it cannot be opened. */
export function plainFileAt(path: string): string | undefined {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b ? undefined : path;
  } finally {
    closeSync(fd);
  }
}

/**
 * A plain local file read into ONE reused 4 MB buffer: each chunk is valid only until the next
 * one is asked for (the splitter's `detach` copies what it keeps, and whoever keeps a statement
 * must copy it or keep its offset). Fresh buffers per chunk cost more CPU in page faults and
 * garbage collection than the parse itself on this kind of machine.
 */
export async function* reusedChunks(path: string): AsyncGenerator<Buffer> {
  // Read synchronously: a 4 MB read from the page cache takes about a millisecond, and an
  // asynchronous one hops through libuv's thread pool each time (the unchanged reload of the scale
  // 0.3 dump: 0.56-0.60 s this way, 0.63-0.65 s with fs/promises reads).
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafeSlow(4 << 20);
    for (;;) {
      const bytesRead = readSync(fd, buf, 0, buf.length, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The dump's text: the stored bytes, gunzipped when they start with gzip's magic number. A bad
 * gzip stream becomes a PipelineError naming the compressed byte offset.
 */
export async function* dumpBytes(source: DumpSource): AsyncGenerator<Buffer> {
  const it = source.open()[Symbol.asyncIterator]();
  let first = await it.next();
  while (!first.done && first.value.length < 2) {
    const more = await it.next();
    if (more.done) break;
    first = { done: false, value: Buffer.concat([first.value, more.value]) };
  }
  if (first.done) return;
  const head = first.value;
  const rest: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => it };
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    yield head;
    yield* rest;
    return;
  }
  let compressed = 0;
  async function* all() {
    compressed += head.length;
    yield head;
    for await (const c of rest) {
      compressed += c.length;
      yield c;
    }
  }
  const input = Readable.from(all());
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  input.on('error', (e) => gunzip.destroy(e));
  input.pipe(gunzip);
  try {
    for await (const c of gunzip) yield c as Buffer;
  } catch (err) {
    if (
      (err as { code?: string }).code?.startsWith('Z_') ||
      /unexpected end of file|incorrect header|invalid/i.test((err as Error).message)
    ) {
      throw new PipelineError(
        `${source.name} is not a valid gzip stream (${(err as Error).message}) near compressed byte ${compressed}. To fix this, check the file (gzip -t) or fetch it again.`,
      );
    }
    throw err;
  } finally {
    input.destroy();
  }
}
