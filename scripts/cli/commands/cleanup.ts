import type { CommandDef } from '../command.ts';
import { notImplemented } from './not-implemented.ts';

export const cleanupCommand: CommandDef = {
  name: 'cleanup',
  summary: 'Drop the legacy schemas listed in pipeline.yml (cleanup.legacy); a dry run unless --apply.',
  description: `A legacy schema that holds any row is archived first (a mysqldump-format .sql.gz,
verified by reading it back), then dropped. Active, system and unknown schemas are never dropped.`,
  options: {
    apply: { type: 'boolean', help: 'really archive and drop (default: print what would be done)' },
    'archive-to': { type: 'string', value: 'DIR|s3://bucket/prefix/', help: 'where archives go (default: target/archive/)' },
    'no-archive': { type: 'boolean', help: 'drop without archiving: only allowed for schemas that hold no row' },
  },
  run: notImplemented('cleanup'),
};
