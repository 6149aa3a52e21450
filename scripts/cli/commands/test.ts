import type { CommandDef } from '../command.ts';
import { notImplemented } from './not-implemented.ts';
import { SELECTION_OPTIONS } from './selection-options.ts';

export const testCommand: CommandDef = {
  name: 'test',
  summary: 'Run the data tests of the selected nodes: generic tests from YAML, singular SQL tests, source checks.',
  options: {
    ...SELECTION_OPTIONS,
  },
  run: notImplemented('test'),
};
