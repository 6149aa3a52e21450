/**
 * The skeleton the model commands `run`, `seed` and `compile` share, written once: the selection
 * options read into a frozen object, the project read and selected, the published resolver. For
 * `run` and `seed` also the rest of their shape: the manifest, a pool sized to the threads, the
 * selected nodes run under the warehouse's run lock, target/run_results.json. Each command keeps
 * only what is its own (the engine call and its arguments).
 */
import type { Db } from '../../../actions/platform/db.ts';
import type { NodeResult } from '../../../actions/platform/run-results.ts';
import type { CliContext } from '../../../actions/platform/run-context.ts';
import { writeRunResults } from '../../../actions/platform/run-results.ts';
import { buildManifest, writeManifest } from '../../../actions/transform/project/artifacts.ts';
import { publishedResolver } from '../../../actions/transform/project/resolver.ts';
import type { Selection } from '../../../actions/transform/project/selection.ts';
import type { Project, RelationResolver } from '../../../actions/transform/project/types.ts';
import { modelRunResults } from '../../../actions/transform/results.ts';
import { runWithRunHooks } from '../../../actions/transform/run-hooks.ts';
import type { CommandDef } from '../command.ts';
import { idsOf, loadProject, readModelOptions, selectFor, type ModelCommandOptions } from './model-options.ts';
import { SELECTION_OPTIONS } from './selection-options.ts';

/** What a model command starts from. */
export interface SelectedProject {
  readonly options: ModelCommandOptions;
  readonly startedAt: Date;
  readonly project: Project;
  readonly selection: Selection;
  /** Relations of the published warehouse. */
  readonly resolver: RelationResolver;
}

/** A command with the selection options whose `body` runs on the project read and selected. */
export function modelCommand(
  def: Pick<CommandDef, 'name' | 'description'>,
  body: (ctx: CliContext, selected: SelectedProject) => Promise<number>,
): CommandDef {
  return {
    ...def,
    options: { ...SELECTION_OPTIONS },
    async run(ctx, parsed) {
      const options = readModelOptions(parsed);
      const startedAt = new Date();
      const project = loadProject(ctx, options);
      const selection = selectFor(ctx, project, options);
      const resolver = publishedResolver(ctx.schemas());
      return body(ctx, { options, startedAt, project, selection, resolver });
    },
  };
}

export interface SelectedNodesRun {
  /** The command, as the run lock and run_results.json name it. */
  command: 'run' | 'seed';
  type: 'model' | 'seed';
  /** The log's stage line, given the number of selected nodes. */
  describe(count: number): string;
  /** The command's arguments as run_results.json records them. */
  args: Record<string, unknown>;
  execute(db: Db, ids: string[]): Promise<NodeResult[]>;
  /** Called with the results (the run hooks' among them) once they are written (e.g. to log a count). */
  finished?(results: readonly NodeResult[]): void;
}

/**
 * Writes the manifest, then runs the selected nodes of one type holding the run lock, between the
 * project's on-run-start and on-run-end hooks as dbt runs them (run-hooks.ts), and writes
 * target/run_results.json. The exit code (1 when a node failed with an error) is what the lock
 * records: a failed node makes the run's row say 'error'.
 */
export async function runSelectedNodes(ctx: CliContext, s: SelectedProject, run: SelectedNodesRun): Promise<number> {
  const ids = idsOf(s.project, s.selection, run.type);
  writeManifest(ctx.targetDir, buildManifest(s.project, { resolver: s.resolver }));
  const db = await ctx.db({ connections: s.options.threads + 1 });
  return ctx.withRunLock(run.command, async () => {
    const results = await ctx.log.stage(run.describe(ids.length), () =>
      runWithRunHooks({ project: s.project, db, resolver: s.resolver, selected: ids, log: ctx.log }, () => run.execute(db, ids)),
    );
    writeRunResults(ctx.targetDir, modelRunResults(run.command, results, s.startedAt, run.args));
    run.finished?.(results);
    return results.some((r) => r.status === 'error') ? 1 : 0;
  });
}
