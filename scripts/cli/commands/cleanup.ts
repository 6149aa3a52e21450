import type { CommandDef, ParsedOptions } from '../command.ts';
import type { CliContext } from '../../../actions/platform/run-context.ts';
import { resolve, join } from 'node:path';
import {
  createDirStore,
  createS3Store,
  describeTarget,
  parseArchiveTarget,
  type ArchiveTarget,
} from '../../../actions/cleanup/archive-store.ts';
import { createClassifier } from '../../../actions/cleanup/classify.ts';
import { planCleanup, runCleanup, type CleanupReport } from '../../../actions/cleanup/cleanup.ts';
import { readInvestigatedInventory } from '../../../actions/cleanup/evidence.ts';
import { renderCleanup } from '../../../actions/cleanup/render-cleanup.ts';
import { describeDb } from '../../../actions/platform/db.ts';
import { UsageError } from '../../../actions/platform/errors.ts';
import { createS3Client, loadS3Sdk } from '../aws-clients.ts';

export interface CleanupCliOptions {
  apply: boolean;
  /** Default: target/archive/ in the target directory. */
  archiveTo?: string;
  noArchive: boolean;
}

export function readCleanupOptions(o: ParsedOptions): CleanupCliOptions {
  if (o['no-archive'] === true && o['archive-to'] !== undefined) {
    throw new UsageError('give either --archive-to or --no-archive, not both');
  }
  return Object.freeze({ apply: o.apply === true, archiveTo: o['archive-to'] as string | undefined, noArchive: o['no-archive'] === true });
}

async function runCleanupCommand(ctx: CliContext, o: CleanupCliOptions): Promise<number> {
  const classifier = createClassifier(ctx.config(), ctx.schemas());
  const target: ArchiveTarget = o.archiveTo
    ? parseArchiveTarget(o.archiveTo, (dir) => resolve(ctx.io.cwd, dir))
    : { kind: 'dir', dir: join(ctx.targetDir, 'archive') };
  if (target.kind === 's3') await loadS3Sdk();
  const s3 = target.kind === 's3' ? createS3Client(ctx.io.env) : undefined;
  const store = target.kind === 's3' ? createS3Store(s3!, target.bucket, target.prefix) : createDirStore(target.dir);
  try {
    const db = await ctx.db();
    // Planning refuses what must not happen (--no-archive with rows, a contradictory legacy list)
    // before anything is locked or recorded.
    const plan = await planCleanup(db, classifier, { archive: !o.noArchive });
    const work = () =>
      runCleanup(
        db,
        classifier,
        { apply: o.apply, archive: !o.noArchive, store, now: new Date(), source: describeDb(ctx.dbSettings) },
        ctx.log,
        plan,
      );
    // Dropping holds the warehouse's run lock, so no pipeline run is building while schemas go.
    let report: CleanupReport | undefined;
    const code = async () => {
      report = await work();
      // The evidence on what cleanup keeps as unknown; a prefixed run (a pull-request check, a
      // test) looks only at its own prefix's schemas. `inventory` shows every schema.
      const unknown = new Set(report.kept.unknown.filter((n) => n.startsWith(ctx.schemaPrefix)));
      const investigated = unknown.size ? await readInvestigatedInventory(db, classifier, { only: (n) => unknown.has(n) }) : [];
      ctx.print(renderCleanup(report, describeTarget(target), investigated));
      return report.status === 'error' ? 1 : 0;
    };
    // Dropping holds the warehouse's run lock, so no pipeline run is building while schemas go;
    // the run is recorded (as an error when any schema failed).
    return o.apply ? await ctx.withRunLock('cleanup', code) : await code();
  } finally {
    s3?.destroy();
  }
}

export const cleanupCommand: CommandDef = {
  name: 'cleanup',
  description: `A legacy schema that holds any row is archived first (a mysqldump-format .sql.gz,
verified by reading it back), then dropped. Active, system and unknown schemas are never dropped.`,
  options: {
    apply: { type: 'boolean', help: 'really archive and drop (default: print what would be done)' },
    'archive-to': { type: 'string', value: 'DIR|s3://bucket/prefix/', help: 'where archives go (default: target/archive/)' },
    'no-archive': { type: 'boolean', help: 'drop without archiving: only allowed for schemas that hold no row' },
  },
  examples: ['pipeline cleanup', 'pipeline cleanup --apply', 'pipeline cleanup --apply --archive-to s3://tokyobeta-archive/schemas/'],
  run: (ctx, options) => runCleanupCommand(ctx, readCleanupOptions(options)),
};
