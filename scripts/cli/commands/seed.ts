import type { CommandDef } from '../command.ts';
import { notImplemented } from './not-implemented.ts';
import { SELECTION_OPTIONS } from './selection-options.ts';

export const seedCommand: CommandDef = {
  name: 'seed',
  summary: 'Load the CSV seeds into their tables (unchanged seeds are skipped), each swapped in atomically.',
  options: {
    ...SELECTION_OPTIONS,
  },
  run: notImplemented('seed'),
};
