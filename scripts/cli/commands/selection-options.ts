import type { OptionDef } from '../command.ts';

/** Options of the model commands (seed, run, test, build, compile, ls), as dbt users know them. */
export const SELECTION_OPTIONS: Record<string, OptionDef> = {
  select: {
    type: 'string',
    value: 'SPEC',
    help: 'nodes to include: names, +name, name+, n+name, tag:x, path:dir, source:x, state:modified; space-separated specs are a union, a comma an intersection',
  },
  exclude: { type: 'string', value: 'SPEC', help: 'nodes to leave out, same syntax as --select' },
  state: { type: 'string', value: 'DIR', help: 'directory with the manifest.json of a previous run, for state:modified' },
  'full-refresh': { type: 'boolean', help: 'rebuild incremental models and reload seeds from scratch' },
  threads: { type: 'string', value: 'N', help: 'models run at once (default 4)' },
  vars: { type: 'string', value: 'YAML', help: 'override project vars, e.g. "{as_of_date: \'2026-02-05\'}"' },
};
