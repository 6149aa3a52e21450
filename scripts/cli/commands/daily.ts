/**
 * The `daily` command's definition: its options and help. What it runs is in daily-run.ts,
 * imported when it runs, so `daily --help` starts fast.
 */
import type { CommandDef } from '../command.ts';
import { SELECTION_OPTIONS } from './selection-options.ts';

export const dailyCommand: CommandDef = {
  name: 'daily',
  description: `Nothing is published unless every error-severity test passes; the previous day's
warehouse then stays exactly as it was and the shadow is kept for inspection. The report is
written in every case (target/run_results.json); exit 1 when anything failed.
The models' as_of_date var is the dump's date (from gghouse_YYYYMMDD in its name, or --date).`,
  options: {
    dump: { type: 'string', value: 'SOURCE', help: 'FILE, s3://bucket/key or s3://bucket/prefix/ (default: staging.dump in pipeline.yml)' },
    date: { type: 'string', value: 'YYYYMMDD', help: 'under an S3 prefix, the dump of this date; also the as_of_date of the models' },
    'dry-run': { type: 'boolean', help: 'build and test in the shadow, but do not publish' },
    'with-routines': { type: 'boolean', help: 'also load triggers, routines and events from the dump' },
    'load-threads': { type: 'string', value: 'N', help: 'load connections (default: from the server, at most 8)' },
    ...SELECTION_OPTIONS,
  },
  examples: ['pipeline daily --dump s3://vendor-drop/gghouse/', 'pipeline daily --dump gghouse_20260205.sql.gz --dry-run'],
  run: async (ctx, o) => (await import('./daily-run.ts')).runDailyCommandWithResults(ctx, o),
};
