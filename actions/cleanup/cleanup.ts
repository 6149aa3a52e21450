/**
 * `cleanup`: drops the legacy schemas of pipeline.yml, and nothing else. Rows are counted
 * exactly (never estimated) to decide what must be archived. For each schema, with --apply:
 * measure its space → checksum its tables → archive it (one consistent snapshot) → read the
 * archive back and compare every table's rows and value digest → put it in its place (S3: upload
 * and compare the object's sha256) → checksum again (nothing changed meanwhile) → DROP DATABASE →
 * measure again. Any failure keeps the schema, and is reported as that schema's result.
 */
import { quoteIdent, qualified, type Db } from '../platform/db.ts';
import { errorMessage, PipelineError, UsageError } from '../platform/errors.ts';
import type { Logger } from '../platform/log.ts';
import { formatBytes } from '../platform/progress.ts';
import { compareManifests, readArchiveFile, ArchiveFormatError } from './archive-reader.ts';
import type { ArchiveStore } from './archive-store.ts';
import { writeSchemaArchive } from './archive-writer.ts';
import type { Classifier, SchemaClass } from './classify.ts';
import { measureSchemaSpace, type SchemaSpace } from './space.ts';

export interface CleanupOptions {
  apply: boolean;
  /** False with --no-archive: allowed only when no legacy schema holds a row. */
  archive: boolean;
  store: ArchiveStore;
  now: Date;
  /** Shown in archive headers, e.g. root@db-host:3306. */
  source: string;
}

export type CleanupAction = 'archive-and-drop' | 'drop' | 'skip' | 'refuse';

export interface SchemaPlan {
  schema: string;
  reason: string;
  action: CleanupAction;
  /** Why this action (shown in the report). */
  why: string;
  tables: number;
  views: number;
  otherObjects: number;
  /** Exact: COUNT(*) of every table. */
  rows: number;
}

export interface SchemaResult extends SchemaPlan {
  status: 'dropped' | 'would-drop' | 'skipped' | 'refused' | 'error';
  archive?: { location: string; bytes: number; sha256: string; tables: number; rows: number };
  /** Space the schema held just before the drop, and just after (0 once its files are gone). */
  space?: { before: number; after: number; method: SchemaSpace['method'] };
  message?: string;
}

export interface CleanupReport {
  applied: boolean;
  results: SchemaResult[];
  /** Schemas that are never dropped, by class. */
  kept: Record<Exclude<SchemaClass, 'legacy'>, string[]>;
  /** Sum of measured before − after over the dropped schemas. */
  reclaimedBytes: number;
  status: 'success' | 'error';
}

/** `<schema>_<yyyymmddThhmmssZ>.sql.gz` */
export function archiveFileName(schema: string, now: Date): string {
  const safe = schema.replace(/[^A-Za-z0-9_.-]/g, (c) => `@${c.codePointAt(0)!.toString(16)}`);
  return `${safe}_${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}.sql.gz`;
}

export async function planCleanup(
  db: Db,
  classifier: Classifier,
  o: Pick<CleanupOptions, 'archive'>,
): Promise<{ plans: SchemaPlan[]; kept: CleanupReport['kept'] }> {
  if (classifier.conflicts.length) {
    throw new UsageError(
      `cleanup.legacy in pipeline.yml lists ${classifier.conflicts.join(', ')}, which the pipeline uses or the server owns. To fix this, remove ${classifier.conflicts.length > 1 ? 'them' : 'it'} from cleanup.legacy.`,
    );
  }
  const existing = (await db.query<{ name: string }>('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA ORDER BY 1')).map(
    (r) => r.name,
  );
  const kept: CleanupReport['kept'] = { active: [], unknown: [], system: [] };
  for (const name of existing) {
    const c = classifier.classify(name).class;
    if (c !== 'legacy') kept[c].push(name);
  }
  const plans: SchemaPlan[] = [];
  for (const [schema, reason] of classifier.legacy) {
    const base = { schema, reason, tables: 0, views: 0, otherObjects: 0, rows: 0 };
    if (!existing.includes(schema)) {
      plans.push({ ...base, action: 'skip', why: 'not on the server (already gone)' });
      continue;
    }
    const objects = await db.query<{ name: string; type: string }>(
      'SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
      [schema],
    );
    const tables = objects.filter((t) => t.type === 'BASE TABLE').map((t) => t.name);
    let rows = 0;
    // Exact counts: whether a schema holds data is never guessed from statistics.
    for (const t of tables) {
      const [r] = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${qualified(schema, t)}`);
      rows += Number(r?.n ?? 0);
    }
    const [other] = await db.query<{ n: string }>(
      `SELECT (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?)
            + (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?)
            + (SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?) AS n`,
      [schema, schema, schema],
    );
    const p: SchemaPlan = {
      ...base,
      tables: tables.length,
      views: objects.length - tables.length,
      otherObjects: Number(other?.n ?? 0),
      rows,
      action: 'drop',
      why: '',
    };
    if (p.otherObjects > 0) {
      p.action = 'refuse';
      p.why = `it has ${p.otherObjects} triggers, routines or events, which the archive does not keep. To fix this, archive them yourself (mariadb-dump --routines --events --triggers) and drop it by hand`;
    } else if (rows > 0) {
      p.action = 'archive-and-drop';
      p.why = `holds ${rows.toLocaleString('en-US')} rows: archived, verified, then dropped`;
    } else if (p.tables + p.views > 0 && o.archive) {
      p.action = 'archive-and-drop';
      p.why = 'holds no row; its table and view definitions are archived, then it is dropped';
    } else {
      p.why = p.tables + p.views > 0 ? 'holds no row (--no-archive): dropped without an archive' : 'is empty: dropped';
    }
    plans.push(p);
  }
  if (!o.archive) {
    const withRows = plans.filter((p) => p.rows > 0);
    if (withRows.length) {
      throw new UsageError(
        `--no-archive is refused: ${withRows.map((p) => `${p.schema} holds ${p.rows.toLocaleString('en-US')} rows`).join(', ')}. To fix this, run without --no-archive, so they are archived before they are dropped.`,
      );
    }
  }
  return { plans, kept };
}

async function checksums(db: Db, schema: string): Promise<string> {
  const tables = await db.query<{ name: string }>(
    "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1",
    [schema],
  );
  if (tables.length === 0) return '';
  const rows = await db.query<{ Table: string; Checksum: string | null }>(
    `CHECKSUM TABLE ${tables.map((t) => qualified(schema, t.name)).join(', ')}`,
  );
  return rows.map((r) => `${r.Table}=${r.Checksum}`).join(';');
}

/** Errors that end one schema's cleanup as a result: the database's, AWS's, ours. Others are bugs. */
function isExpectedFailure(err: unknown): boolean {
  return (
    err instanceof PipelineError ||
    err instanceof ArchiveFormatError ||
    typeof (err as { sqlState?: unknown })?.sqlState === 'string' ||
    typeof (err as { code?: unknown })?.code === 'string'
  );
}

/**
 * Runs the cleanup. `planned` is a plan made a moment before (so that a refusal comes before
 * the run lock is taken); without it the plan is made here.
 */
export async function runCleanup(
  db: Db,
  classifier: Classifier,
  o: CleanupOptions,
  log: Logger,
  planned?: Awaited<ReturnType<typeof planCleanup>>,
): Promise<CleanupReport> {
  const { plans, kept } = planned ?? (await planCleanup(db, classifier, o));
  const results: SchemaResult[] = [];
  for (const p of plans) {
    if (p.action === 'skip') results.push({ ...p, status: 'skipped' });
    else if (p.action === 'refuse') results.push({ ...p, status: 'refused' });
    else if (!o.apply) results.push({ ...p, status: 'would-drop' });
    else results.push(await cleanOne(db, p, o, log));
  }
  const reclaimedBytes = results.reduce((sum, r) => sum + (r.status === 'dropped' && r.space ? r.space.before - r.space.after : 0), 0);
  const failed = results.some((r) => r.status === 'error' || (o.apply && r.status === 'refused'));
  return { applied: o.apply, results, kept, reclaimedBytes, status: failed ? 'error' : 'success' };
}

async function cleanOne(db: Db, p: SchemaPlan, o: CleanupOptions, log: Logger): Promise<SchemaResult> {
  const result: SchemaResult = { ...p, status: 'error' };
  let staging: string | undefined;
  try {
    return await log.stage(`cleanup ${p.schema}`, async () => {
      const before = await measureSchemaSpace(db, p.schema);
      if (p.action === 'archive-and-drop') {
        const sumsBefore = await checksums(db, p.schema);
        const fileName = archiveFileName(p.schema, o.now);
        staging = o.store.stagingPath(fileName);
        const progress = log.progress({ label: `archiving ${p.schema}`, total: p.rows, unit: 'rows' });
        const written = await writeSchemaArchive(db, p.schema, staging, { source: o.source, now: o.now, onRows: (n) => progress.add(n) });
        progress.finish();
        const read = await readArchiveFile(staging, p.schema);
        const problems = compareManifests(written, read);
        if (problems.length) {
          o.store.discard(staging);
          throw new PipelineError(
            `the archive of ${p.schema} did not read back as written (${problems.join('; ')}); ${p.schema} was not dropped. This is a bug: please report it.`,
          );
        }
        const rows = written.tables.reduce((n, t) => n + t.rows, 0);
        log.info(
          `  verified: ${written.tables.length} tables, ${rows.toLocaleString('en-US')} rows, ${written.views.length} views read back identical (${formatBytes(written.bytes)})`,
        );
        const location = await o.store.commit(staging, fileName, written.sha256);
        staging = undefined;
        result.archive = { location, bytes: written.bytes, sha256: written.sha256, tables: written.tables.length, rows };
        log.info(`  archived to ${location}`);
        if ((await checksums(db, p.schema)) !== sumsBefore) {
          throw new PipelineError(
            `${p.schema} changed while it was being archived, so it was not dropped (the archive is kept at ${location}). To fix this, stop whatever writes to it and run the cleanup again.`,
          );
        }
      }
      await db.exec(`DROP DATABASE ${quoteIdent(p.schema)}`);
      const after = await measureSchemaSpace(db, p.schema);
      result.space = { before: before.bytes, after: after.bytes, method: before.method };
      result.status = 'dropped';
      return result;
    });
  } catch (err) {
    if (!isExpectedFailure(err)) throw err;
    if (staging) o.store.discard(staging);
    result.message = errorMessage(err);
    return result;
  }
}
