/**
 * What the model commands (seed, run, compile, ls) share: their options read once into a frozen
 * object, and the project read with them (vars overridden by --vars, env_var() from the CLI's
 * environment), then the selection.
 */
import { formatProblem, UsageError } from '../../../actions/platform/errors.ts';
import { readStateManifest } from '../../../actions/transform/project/artifacts.ts';
import { join, resolve } from 'node:path';
import { runtimeOf } from '../../../actions/transform/project/project-runtime.ts';
import { readProject } from '../../../actions/transform/project/read-project.ts';
import { TEMPLATE_CACHE_FILE } from '../../../actions/transform/project/template-cache.ts';
import { selectNodes, type Selection } from '../../../actions/transform/project/selection.ts';
import type { Project } from '../../../actions/transform/project/types.ts';
import { parseYaml } from '../../../actions/platform/yaml-source.ts';
import type { ParsedOptions } from '../command.ts';
import type { CliContext } from '../../../actions/platform/run-context.ts';
import { parseInteger } from '../values.ts';

export interface ModelCommandOptions {
  readonly select?: string;
  readonly exclude?: string;
  readonly state?: string;
  readonly fullRefresh: boolean;
  /** Default 4. */
  readonly threads: number;
  readonly vars: Readonly<Record<string, unknown>>;
}

export function readModelOptions(o: ParsedOptions): ModelCommandOptions {
  let vars: Record<string, unknown> = {};
  if (typeof o.vars === 'string' && o.vars.trim() !== '') {
    const parsed = parseYaml(o.vars, '--vars').value;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new UsageError(`--vars '${o.vars}' is not a YAML mapping: write it like "{as_of_date: '2026-02-05'}"`);
    }
    vars = parsed as Record<string, unknown>;
  }
  return Object.freeze({
    select: o.select as string | undefined,
    exclude: o.exclude as string | undefined,
    state: o.state as string | undefined,
    fullRefresh: o['full-refresh'] === true,
    threads: o.threads === undefined ? 4 : parseInteger('threads', o.threads as string, 1, 64),
    vars: Object.freeze(vars),
  });
}

export function loadProject(ctx: CliContext, o: ModelCommandOptions): Project {
  const project = readProject(ctx.projectDir, ctx.config(), {
    vars: o.vars,
    envVars: ctx.io.env,
    targetSchema: ctx.schemas().defaultSchema,
    templateCacheFile: join(ctx.targetDir, TEMPLATE_CACHE_FILE),
    log: (message) => ctx.log.info(message),
  });
  // What dbt only warns about (deprecated keys, unknown configs, properties naming no node).
  for (const w of runtimeOf(project).warnings) ctx.log.warn(formatProblem(w));
  return project;
}

export function selectFor(ctx: CliContext, project: Project, o: ModelCommandOptions): Selection {
  const state = o.state ? readStateManifest(resolve(ctx.io.cwd, o.state)) : undefined;
  const selection = selectNodes(project, { select: o.select, exclude: o.exclude, state });
  for (const w of selection.warnings) ctx.log.warn(w);
  return selection;
}

/**
 * Selected unique_ids of one resource type. Snapshots (models materialized as `snapshot` here)
 * are not models: dbt's `run` builds none, `snapshot` and `build` do.
 */
export function idsOf(project: Project, selection: Selection, type: 'model' | 'seed' | 'test'): string[] {
  return selection.ids.filter((id) => {
    const n = project.nodes.get(id);
    return n?.resource_type === type && !(n.resource_type === 'model' && n.config.materialized === 'snapshot');
  });
}
