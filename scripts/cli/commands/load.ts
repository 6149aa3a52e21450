/**
 * The `load` command's definition: its options and help. What it runs is in load-run.ts, imported
 * when it runs, so `load --help` starts fast.
 */
import type { FileHash } from '../../../actions/load/file-hash.ts';
import type { CommandDef } from '../command.ts';

export const loadCommand: CommandDef = {
  name: 'load',
  description: `SOURCE is a local file, s3://bucket/key, or s3://bucket/prefix/ (the newest
gghouse_YYYYMMDD.sql[.gz] under it, or the one of --date). The dump is untrusted: only tables
and views in the target schema are created; anything else is refused and reported.
S3: the AWS default credential chain; AWS_ENDPOINT_URL_S3 points at an S3-compatible server.`,
  options: {
    dump: { type: 'string', value: 'SOURCE', help: 'FILE, s3://bucket/key or s3://bucket/prefix/ (default: staging.dump in pipeline.yml)' },
    date: { type: 'string', value: 'YYYYMMDD', help: 'under an S3 prefix, load the dump of this date instead of the newest' },
    schema: {
      type: 'string',
      value: 'NAME',
      help: "load into this schema instead of the configured staging schema (not a system schema nor one of the pipeline's own)",
    },
    'replace-existing': { type: 'boolean', help: 'with --schema: replace tables this loader did not put there' },
    threads: { type: 'string', value: 'N', help: 'load connections (default: one per server CPU, 2 to 8)' },
    'with-routines': { type: 'boolean', help: 'also load triggers, routines and events (skipped and counted otherwise)' },
    'parse-only': { type: 'boolean', help: 'parse the dump and report what it holds, without touching the database' },
  },
  examples: ['pipeline load --dump gghouse_20260205.sql.gz', 'pipeline load --dump s3://vendor-drop/gghouse/ --date 20260205'],
  run: async (ctx, o) => {
    // A plain local dump is hashed on another thread while the loader's modules load: the same
    // dump again is then known at once (actions/load/unchanged-dump.ts).
    const early = typeof o.dump === 'string' && o['parse-only'] !== true ? await earlyFileHash(o.dump) : undefined;
    return (await import('./load-run.ts')).runLoad(ctx, o, early?.hashed);
  },
};

/** The hash of a plain local dump, started now; undefined for S3, gzip, or a path the load will report on. */
async function earlyFileHash(spec: string): Promise<{ hashed: Promise<FileHash> } | undefined> {
  if (spec.startsWith('s3://')) return undefined;
  const [{ plainFileAt }, { hashFileInWorker }] = await Promise.all([
    import('../../../actions/load/dump-source.ts'),
    import('../../../actions/load/file-hash.ts'),
  ]);
  let path: string | undefined;
  try {
    path = plainFileAt(spec);
  } catch {
    return undefined; // the load says what is wrong with it
  }
  return path === undefined ? undefined : { hashed: hashFileInWorker(path) };
}
