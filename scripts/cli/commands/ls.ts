import { UsageError } from '../../../actions/platform/errors.ts';
import { publishedResolver } from '../../../actions/transform/project/resolver.ts';
import type { GraphNode } from '../../../actions/transform/project/types.ts';
import type { CommandDef } from '../command.ts';
import { loadProject, readModelOptions, selectFor } from './model-options.ts';
import { SELECTION_OPTIONS } from './selection-options.ts';

function kindOf(n: GraphNode): string {
  if (n.resource_type === 'model') return n.config.materialized;
  if (n.resource_type === 'seed') return 'seed';
  if (n.resource_type === 'test') return n.kind === 'generic' ? `test:${n.test_metadata?.name}` : 'test:singular';
  return 'source';
}

export const lsCommand: CommandDef = {
  name: 'ls',
  options: {
    ...SELECTION_OPTIONS,
    output: { type: 'string', value: 'FORMAT', help: 'text (default) or json' },
  },
  async run(ctx, options) {
    const format = (options.output as string | undefined) ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--output '${format}' is not one of: text, json`);
    const o = readModelOptions(options);
    const project = loadProject(ctx, o);
    const selection = selectFor(ctx, project, o);
    const resolver = publishedResolver(ctx.schemas());
    const rows = selection.ids.map((id) => {
      const n = (project.nodes.get(id) ?? project.sources.get(id))!;
      const relation =
        n.resource_type === 'test' || (n.resource_type === 'model' && n.config.materialized === 'ephemeral')
          ? undefined
          : resolver.resolve(n);
      return {
        unique_id: id,
        name: n.resource_type === 'source' ? `${n.source_name}.${n.name}` : n.name,
        resource_type: n.resource_type,
        materialized: kindOf(n),
        relation: relation ? `${relation.schema}.${relation.identifier}` : null,
        path: n.original_file_path,
        tags: n.tags,
      };
    });
    if (format === 'json') {
      for (const r of rows) ctx.print(JSON.stringify(r));
    } else {
      const w1 = Math.max(4, ...rows.map((r) => r.resource_type.length));
      const w2 = Math.max(4, ...rows.map((r) => r.materialized.length));
      for (const r of rows)
        ctx.print(`${r.resource_type.padEnd(w1)}  ${r.materialized.padEnd(w2)}  ${r.unique_id.split('.').slice(1).join('.')}`);
    }
    return 0;
  },
};
