import type { CommandDef } from '../command.ts';
import { notImplemented } from './not-implemented.ts';
import type { ParsedOptions } from '../command.ts';
import { parseChoice } from '../values.ts';

export function readReportOptions(o: ParsedOptions): { format: 'md' | 'json' } {
  return Object.freeze({ format: o.format === undefined ? 'md' : parseChoice('format', o.format as string, ['md', 'json'] as const) });
}

export const reportCommand: CommandDef = {
  name: 'report',
  summary: "Render the last run's results (target/run_results.json) as Markdown or JSON.",
  options: {
    format: { type: 'string', value: 'FORMAT', help: 'md (default) or json' },
  },
  run: notImplemented('report', readReportOptions),
};
