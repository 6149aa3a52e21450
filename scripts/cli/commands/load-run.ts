/**
 * `load` itself: resolve the dump, check the target, load, write target/run_results.json and print
 * the per-table summary. Imported only when `load` runs (see commands/index.ts): it pulls in the
 * engine and the database driver, which `load --help` does not need.
 */
import { UsageError, errorMessage } from '../../../actions/platform/errors.ts';
import { formatBytes } from '../../../actions/platform/progress.ts';
import { writeRunResults, type LoadResult, type RunResults } from '../../../actions/platform/run-results.ts';
import { resolveDumpSource } from '../../../actions/load/dump-source.ts';
import { loadDump } from '../../../actions/load/load-dump.ts';
import { failedLoadResult } from '../../../actions/load/load-results.ts';
import { parseDump } from '../../../actions/load/parse-dump.ts';
import type { FileHash } from '../../../actions/load/file-hash.ts';
import type { ParsedOptions } from '../command.ts';
import type { CliContext } from '../../../actions/platform/run-context.ts';
import { createS3Client, loadS3Sdk } from '../aws-clients.ts';
import { checkLoadTarget, foreignTablesError, tablesNotLoaded } from '../../../actions/load/load-target.ts';
import { parseDate, parseInteger } from '../values.ts';

export interface LoadOptions {
  dump?: string;
  date?: string;
  schema?: string;
  threads?: number;
  withRoutines: boolean;
  parseOnly: boolean;
  /** With --schema: load even into a schema holding tables this loader did not put there. */
  replaceExisting: boolean;
}

export function readLoadOptions(o: ParsedOptions): LoadOptions {
  return Object.freeze({
    dump: o.dump as string | undefined,
    date: o.date === undefined ? undefined : parseDate('date', o.date as string),
    schema: o.schema as string | undefined,
    threads: o.threads === undefined ? undefined : parseInteger('threads', o.threads as string, 1, 64),
    withRoutines: o['with-routines'] === true,
    parseOnly: o['parse-only'] === true,
    replaceExisting: o['replace-existing'] === true,
  });
}

function tableSummary(r: LoadResult): string {
  const rows = r.tables.map((t) => [t.table, t.status, String(t.rows), formatBytes(t.bytes), t.seconds.toFixed(1)]);
  const head = ['table', 'status', 'rows', 'bytes', 'seconds'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const out = [line(head), ...rows.map(line)];
  const total = r.tables.reduce((a, t) => a + (t.status === 'loaded' ? t.rows : 0), 0);
  out.push(
    '',
    `${r.published ? 'published to' : 'loaded into'} ${r.schema}: ${r.tables.filter((t) => t.status === 'loaded').length} tables loaded (${total} rows), ${r.tables.filter((t) => t.status === 'unchanged').length} unchanged, ${r.tables.filter((t) => t.status === 'dropped').length} dropped; ${formatBytes(r.bytes)} in ${r.seconds.toFixed(1)}s with ${r.threads} connections`,
  );
  for (const c of r.collationMappings) out.push(`collation ${c.from} mapped to ${c.to} (${c.count}x): the server does not have it`);
  if (r.skippedRoutines) out.push(`${r.skippedRoutines} triggers/routines/events skipped (load them with --with-routines)`);
  for (const s of r.skipped ?? []) out.push(`skipped ${s.count}x: ${s.reason}`);
  for (const x of r.refused) out.push(`REFUSED line ${x.line} (byte ${x.offset}): ${x.reason}: ${x.statement}`);
  return out.join('\n');
}

export async function runLoad(ctx: CliContext, options: ParsedOptions, fileHash?: Promise<FileHash>): Promise<number> {
  const o = readLoadOptions(options);
  const config = ctx.config();
  const spec = o.dump ?? config.staging.dump;
  if (!spec)
    throw new UsageError("'load' needs --dump SOURCE (or staging.dump in pipeline.yml). Run 'pipeline load --help' for its usage.");
  if (spec.startsWith('s3://')) await loadS3Sdk();
  const source = await resolveDumpSource(spec, { date: o.date, s3: () => createS3Client(ctx.io.env), log: (m) => ctx.log.warn(m) });
  if (o.parseOnly) {
    const r = await parseDump(source, { withRoutines: o.withRoutines }, ctx.log);
    const rows = r.tables.reduce((a, t) => a + t.rows, 0);
    for (const t of r.tables) ctx.print(`${t.table}\t${t.rows} rows\t${formatBytes(t.bytes)}`);
    for (const x of r.refused) ctx.print(`REFUSED line ${x.line} (byte ${x.offset}): ${x.reason}: ${x.statement}`);
    for (const s of r.skipped) ctx.print(`skipped ${s.count}x: ${s.reason}`);
    ctx.print(
      `parsed ${source.name}: ${r.statements} statements, ${r.tables.length} tables, ${rows} rows, ${r.views} views, ${r.routines} routines, ${r.refused.length} refused; ${formatBytes(r.bytes)} in ${r.seconds.toFixed(2)}s (${(r.bytes / 1e6 / Math.max(r.seconds, 0.001)).toFixed(0)} MB/s); ${r.complete ? 'complete (trailer present)' : 'INCOMPLETE: no -- Dump completed trailer'}`,
    );
    return r.complete ? 0 : 1;
  }
  const schemas = ctx.schemas();
  const target = o.schema ? schemas.physical(o.schema) : schemas.staging;
  if (o.schema) checkLoadTarget(o.schema, target, await reservedSchemas(ctx));
  const db = await ctx.db();
  if (o.schema && !o.replaceExisting) {
    const foreign = await tablesNotLoaded(db, target, schemas.meta);
    if (foreign.length > 0) throw foreignTablesError(o.schema, target, foreign);
  }
  const started = new Date();
  return ctx.withRunLock(
    'load',
    async (lock) => {
      const write = (status: 'success' | 'error', load: LoadResult, message?: string) => {
        const results: RunResults = {
          metadata: { generated_at: new Date().toISOString(), invocation_id: lock.runId, command: 'load', pipeline_version: '0.1.0' },
          status,
          elapsed_time: (Date.now() - started.getTime()) / 1000,
          args: { dump: source.name, schema: target, threads: o.threads, with_routines: o.withRoutines },
          stages: [
            { name: 'load', status, startedAt: started.toISOString(), durationSeconds: (Date.now() - started.getTime()) / 1000, message },
          ],
          results: [],
          load,
        };
        writeRunResults(ctx.targetDir, results);
      };
      try {
        const r = await ctx.log.stage(`load ${source.name} into ${target}`, () =>
          loadDump(
            db,
            {
              source,
              schema: target,
              shadowSchema: `${target}__shadow`,
              oldSchema: `${target}__old`,
              metaSchema: schemas.meta,
              threads: o.threads ?? config.staging.threads,
              withRoutines: o.withRoutines,
              fileHash,
            },
            ctx.log,
          ),
        );
        const { plan: _plan, fingerprint: _fingerprint, ...result } = r;
        write('success', result);
        ctx.print(tableSummary(result));
        return 0;
      } catch (err) {
        const message = errorMessage(err);
        write('error', failedLoadResult(source.name, target, message, (Date.now() - started.getTime()) / 1000), message);
        throw err;
      }
    },
    source.name,
  );
}

/** The pipeline's own schemas (physical names) and what each is: a load must not replace them. */
async function reservedSchemas(ctx: CliContext): Promise<Map<string, string>> {
  const schemas = ctx.schemas();
  const reserved = new Map<string, string>([
    [schemas.meta, 'metadata'],
    [schemas.audit, 'audit'],
    [schemas.defaultSchema, 'default model'],
  ]);
  // Every layer the project builds into (seeds, silver, gold, ...), when the project reads.
  try {
    const { loadProject, readModelOptions } = await import('./model-options.ts');
    for (const node of loadProject(ctx, readModelOptions({})).nodes.values()) {
      const logical = (node as { schema?: string }).schema;
      if (typeof logical === 'string' && logical !== '') reserved.set(schemas.physical(logical), 'layer');
    }
  } catch {
    // Not a readable project (a load needs none): the configured schemas above still stand.
  }
  reserved.delete(schemas.staging); // the loader's own
  return reserved;
}
