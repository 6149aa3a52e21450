import { ConfigError, type Problem } from '../../../actions/platform/errors.ts';
import { compileAnalyses } from '../../../actions/transform/project/analyses.ts';
import { buildManifest, writeCompiled, writeManifest } from '../../../actions/transform/project/artifacts.ts';
import { compileNode } from '../../../actions/transform/project/compile.ts';
import { TemplateError } from '../../../actions/transform/project/templating.ts';
import { modelCommand } from './model-command.ts';

export const compileCommand = modelCommand(
  {
    name: 'compile',
  },
  async (ctx, { project, selection, resolver, startedAt, options: o }) => {
    const problems: Problem[] = [];
    let count = 0;
    const compiled = new Map<string, string>();
    for (const id of selection.ids) {
      const node = project.nodes.get(id);
      const compilable = node?.resource_type === 'model' || (node?.resource_type === 'test' && node.kind === 'singular');
      if (!node || !compilable) continue;
      try {
        const sql = compileNode(project, id, resolver);
        writeCompiled(ctx.targetDir, project, node, sql);
        compiled.set(id, sql);
        count++;
      } catch (err) {
        if (err instanceof TemplateError) problems.push({ message: err.message, location: err.location });
        else problems.push({ message: `${node.name}: ${(err as Error).message}`, location: node.location });
      }
    }
    // Analyses are compiled with a full compile (dbt compiles them unless a selection leaves them out).
    if (o.select === undefined && o.exclude === undefined) {
      try {
        for (const a of compileAnalyses(project, resolver)) {
          writeCompiled(ctx.targetDir, project, a, a.sql);
          count++;
        }
      } catch (err) {
        if (err instanceof TemplateError) problems.push({ message: err.message, location: err.location });
        else throw err;
      }
    }
    writeManifest(ctx.targetDir, buildManifest(project, { resolver, compiled }));
    if (problems.length > 0) throw new ConfigError(problems);
    ctx.log.info(`compiled ${count} node(s) to ${ctx.targetDir}/compiled in ${Date.now() - startedAt.getTime()}ms`);
    return 0;
  },
);
