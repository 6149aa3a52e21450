import type { CommandDef } from '../command.ts';
import { notImplemented } from './not-implemented.ts';
import type { ParsedOptions } from '../command.ts';
import { parseChoice } from '../values.ts';

export function readInventoryOptions(o: ParsedOptions): { format: 'md' | 'json' } {
  return Object.freeze({ format: o.format === undefined ? 'md' : parseChoice('format', o.format as string, ['md', 'json'] as const) });
}

export const inventoryCommand: CommandDef = {
  name: 'inventory',
  summary: 'List every schema on the server: tables, views, rows, bytes, last update, and its class (active, legacy, unknown, system).',
  options: {
    format: { type: 'string', value: 'FORMAT', help: 'md (default) or json' },
  },
  run: notImplemented('inventory', readInventoryOptions),
};
