import type { CommandDef } from '../command.ts';
import { notImplemented } from './not-implemented.ts';
import { SELECTION_OPTIONS } from './selection-options.ts';

export const runCommand: CommandDef = {
  name: 'run',
  summary: 'Build the selected models in DAG order: views, tables (swapped atomically), incremental and ephemeral.',
  options: {
    ...SELECTION_OPTIONS,
  },
  run: notImplemented('run'),
};
