/**
 * Where archives go: a local directory, or an S3 prefix. Either way the archive is first written
 * to a local file and verified there; a directory then syncs it to disk and renames it into place, S3 uploads it
 * (multipart for large files, @aws-sdk/lib-storage) and reads the object back to compare its
 * sha256 with the local file's before anything is dropped.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { UsageError, PipelineError } from '../platform/errors.ts';
import { describeAwsError } from '../platform/aws-errors.ts';

export type ArchiveTarget = { kind: 'dir'; dir: string } | { kind: 's3'; bucket: string; prefix: string };

export interface ArchiveStore {
  readonly target: ArchiveTarget;
  /** Where the file is written and verified before it is committed. */
  stagingPath(fileName: string): string;
  /** Puts a verified file in its final place; returns that place (a path or an s3:// URL). */
  commit(stagingPath: string, fileName: string, sha256: string): Promise<string>;
  /** Removes a staging file that failed verification. */
  discard(stagingPath: string): void;
  describe(): string;
}

/** `s3://bucket/prefix/` or a directory. */
export function parseArchiveTarget(value: string, resolveDir: (dir: string) => string): ArchiveTarget {
  if (value.startsWith('s3://')) {
    const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(value);
    if (!m) throw new UsageError(`--archive-to '${value}' is not a valid S3 location: expected s3://bucket/prefix/`);
    const prefix = m[2] ?? '';
    return { kind: 's3', bucket: m[1]!, prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/` };
  }
  if (value.trim() === '') throw new UsageError('--archive-to needs a directory or s3://bucket/prefix/');
  return { kind: 'dir', dir: resolveDir(value) };
}

export function describeTarget(t: ArchiveTarget): string {
  return t.kind === 'dir' ? t.dir : `s3://${t.bucket}/${t.prefix}`;
}

export function createDirStore(dir: string): ArchiveStore {
  const target: ArchiveTarget = { kind: 'dir', dir };
  return {
    target,
    describe: () => dir,
    stagingPath(fileName) {
      mkdirSync(dir, { recursive: true });
      const staging = join(dir, `${fileName}.partial`);
      // Left by a run that died while writing: never a finished archive, so safe to replace.
      rmSync(staging, { force: true });
      return staging;
    },
    async commit(staging, fileName) {
      const final = join(dir, fileName);
      if (existsSync(final)) throw new PipelineError(`${final} exists already. To fix this, move it away and run again.`);
      // On disk before anything is dropped: the file's bytes, then its name in the directory.
      fsyncPath(staging);
      renameSync(staging, final);
      fsyncPath(dir);
      return final;
    },
    discard: (staging) => rmSync(staging, { force: true }),
  };
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface S3StoreOptions {
  /** Where archives are written and verified before the upload. Default: the OS temp directory. */
  scratchDir?: string;
  /** Multipart part size in bytes (S3's minimum is 5 MiB). Default 16 MiB. */
  partSize?: number;
}

export function createS3Store(client: S3Client, bucket: string, prefix: string, o: S3StoreOptions = {}): ArchiveStore {
  const scratchDir = o.scratchDir ?? tmpdir();
  const target: ArchiveTarget = { kind: 's3', bucket, prefix };
  const url = (key: string) => `s3://${bucket}/${key}`;
  let scratch: string | undefined;
  return {
    target,
    describe: () => describeTarget(target),
    stagingPath(fileName) {
      scratch ??= mkdtempSync(join(scratchDir, 'cleanup-archive-'));
      return join(scratch, fileName);
    },
    async commit(staging, fileName, sha256) {
      const key = `${prefix}${fileName}`;
      try {
        try {
          const upload = new Upload({
            client,
            params: { Bucket: bucket, Key: key, Body: createReadStream(staging), ContentType: 'application/gzip' },
            partSize: o.partSize ?? 16 * 1024 * 1024,
            queueSize: 2,
          });
          await upload.done();
        } catch (err) {
          throw describeAwsError(err, 's3:PutObject', url(key));
        }
        // Read the object back: only identical bytes count as archived.
        let remote: string;
        try {
          const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          const hash = createHash('sha256');
          for await (const chunk of out.Body as Readable) hash.update(chunk as Buffer);
          remote = hash.digest('hex');
        } catch (err) {
          throw describeAwsError(err, 's3:GetObject', url(key));
        }
        if (remote !== sha256) {
          throw new PipelineError(
            `the archive uploaded to ${url(key)} differs from the file written (sha256 ${remote} vs ${sha256}). To fix this, run the cleanup again.`,
          );
        }
        return url(key);
      } finally {
        rmSync(staging, { force: true });
      }
    },
    discard: (staging) => rmSync(staging, { force: true }),
  };
}
