import type { CommandDef } from '../command.ts';
import { notImplemented } from './not-implemented.ts';
import { SELECTION_OPTIONS } from './selection-options.ts';

export const lsCommand: CommandDef = {
  name: 'ls',
  summary: 'List the selected nodes with their type and materialization.',
  options: {
    ...SELECTION_OPTIONS,
    output: { type: 'string', value: 'FORMAT', help: 'text (default) or json' },
  },
  run: notImplemented('ls'),
};
