import { ConfigError, type Problem } from '../../../actions/platform/errors.ts';
import { buildManifest, writeCompiled, writeManifest } from '../../../actions/transform/project/artifacts.ts';
import { compileNode } from '../../../actions/transform/project/compile.ts';
import { TemplateError } from '../../../actions/transform/project/templating.ts';
import { modelCommand } from './model-command.ts';

export const compileCommand = modelCommand(
  {
    name: 'compile',
  },
  async (ctx, { project, selection, resolver, startedAt }) => {
    const problems: Problem[] = [];
    let count = 0;
    for (const id of selection.ids) {
      const node = project.nodes.get(id);
      const compilable = node?.resource_type === 'model' || (node?.resource_type === 'test' && node.kind === 'singular');
      if (!node || !compilable) continue;
      try {
        writeCompiled(ctx.targetDir, project, node, compileNode(project, id, resolver));
        count++;
      } catch (err) {
        if (err instanceof TemplateError) problems.push({ message: err.message, location: err.location });
        else problems.push({ message: `${node.name}: ${(err as Error).message}`, location: node.location });
      }
    }
    writeManifest(ctx.targetDir, buildManifest(project, { resolver }));
    if (problems.length > 0) throw new ConfigError(problems);
    ctx.log.info(`compiled ${count} node(s) to ${ctx.targetDir}/compiled in ${Date.now() - startedAt.getTime()}ms`);
    return 0;
  },
);
