import type { CommandDef } from '../command.ts';
import { notImplemented } from './not-implemented.ts';
import { SELECTION_OPTIONS } from './selection-options.ts';

export const compileCommand: CommandDef = {
  name: 'compile',
  summary: 'Render the selected models to SQL in target/compiled/ without running them.',
  options: {
    ...SELECTION_OPTIONS,
  },
  run: notImplemented('compile'),
};
