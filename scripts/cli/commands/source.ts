/**
 * `pipeline source freshness`: dbt's source freshness command. Checks every selected source that
 * declares a freshness rule against the as-of time (the `as_of_date` var, else now) and writes
 * target/sources.json in dbt's format. As dbt: exit 0 when every source passes or only warns, 1
 * when one is past error_after or could not be checked (a runtime error).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { writeTargetFile } from '../../../actions/platform/target-files.ts';
import { publishedResolver } from '../../../actions/transform/project/resolver.ts';
import { SOURCES_FILE, sourceFreshness } from '../../../actions/transform/data-tests/source-freshness.ts';
import { sourceCheckOf } from '../../../actions/transform/run-nodes.ts';
import type { CommandDef } from '../command.ts';
import { asOfTime } from './build-common.ts';
import { loadProject, readModelOptions, selectFor } from './model-options.ts';
import { SELECTION_OPTIONS } from './selection-options.ts';

export const sourceCommand: CommandDef = {
  name: 'source',
  positionals: [{ name: 'action', help: 'what to do with the sources', choices: ['freshness'], required: true }],
  options: { ...SELECTION_OPTIONS },
  examples: ['pipeline source freshness --select source:staging', 'pipeline source freshness --vars "{as_of_date: 2026-02-05}"'],
  async run(ctx, o) {
    const options = readModelOptions(o);
    const project = loadProject(ctx, options);
    const ids = selectFor(ctx, project, options).ids.filter((id) => project.sources.has(id));
    const db = await ctx.db({ connections: 1 });
    const artifact = await sourceFreshness(db, project, {
      ids,
      resolver: publishedResolver(ctx.schemas()),
      asOf: asOfTime(project),
      checkOf: sourceCheckOf,
      invocationId: randomUUID(),
    });
    const file = writeTargetFile(join(ctx.targetDir, SOURCES_FILE), JSON.stringify(artifact, null, 2));
    for (const r of artifact.results) {
      const detail =
        r.status === 'runtime error'
          ? r.error
          : `max_loaded_at ${r.max_loaded_at}, ${r.max_loaded_at_time_ago_in_s} s before ${r.snapshotted_at}`;
      const line = `${r.status.toUpperCase()} freshness of ${r.unique_id.replace(/^source\.[^.]+\./, '')}: ${detail}`;
      if (r.status === 'pass') ctx.log.info(line);
      else ctx.log.warn(line);
    }
    ctx.log.info(`checked the freshness of ${artifact.results.length} source(s); wrote ${file}`);
    return artifact.results.some((r) => r.status === 'error' || r.status === 'runtime error') ? 1 : 0;
  },
};
