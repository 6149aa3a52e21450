import type { CommandDef } from '../command.ts';
import { createClassifier } from '../../../actions/cleanup/classify.ts';
import { readInvestigatedInventory } from '../../../actions/cleanup/evidence.ts';
import { renderInventoryJson, renderInventoryMarkdown } from '../../../actions/cleanup/render-inventory.ts';
import type { ParsedOptions } from '../command.ts';
import { parseChoice } from '../values.ts';

export function readInventoryOptions(o: ParsedOptions): { format: 'md' | 'json' } {
  return Object.freeze({ format: o.format === undefined ? 'md' : parseChoice('format', o.format as string, ['md', 'json'] as const) });
}

/** Tables up to this many (estimated) rows are counted exactly. */
const EXACT_ROW_LIMIT = 100_000;

export const inventoryCommand: CommandDef = {
  name: 'inventory',
  options: {
    format: { type: 'string', value: 'FORMAT', help: 'md (default) or json' },
  },
  run: async (ctx, options) => {
    const o = readInventoryOptions(options);
    const classifier = createClassifier(ctx.config(), ctx.schemas());
    for (const name of classifier.conflicts) {
      ctx.log.warn(
        `cleanup.legacy lists ${name}, which the pipeline uses (or the server owns): it is treated as ${name.startsWith(ctx.schemaPrefix) ? 'active' : 'system'} and never dropped`,
      );
    }
    const items = await readInvestigatedInventory(await ctx.db(), classifier, { exactRowLimit: EXACT_ROW_LIMIT });
    ctx.print(o.format === 'json' ? renderInventoryJson(items) : renderInventoryMarkdown(items, EXACT_ROW_LIMIT));
    return 0;
  },
};
