import type { CommandDef } from '../command.ts';
import { notImplemented } from './not-implemented.ts';
import { SELECTION_OPTIONS } from './selection-options.ts';

export const buildCommand: CommandDef = {
  name: 'build',
  summary: 'Seeds, models and tests in DAG order; with --publish, build beside the warehouse and publish atomically.',
  options: {
    ...SELECTION_OPTIONS,
    publish: { type: 'boolean', help: 'write-audit-publish: build in shadow schemas, test there, publish all layers in one RENAME only when no error-severity test failed' },
  },
  run: notImplemented('build'),
};
