import type { CommandDef } from '../command.ts';
import { notImplemented } from './not-implemented.ts';
import { SELECTION_OPTIONS } from './selection-options.ts';

export const dailyCommand: CommandDef = {
  name: 'daily',
  summary: 'The scheduled job: load the dump into shadow staging, build and test every layer, publish all at once, report.',
  description: `Nothing is published unless every error-severity test passes; the previous day's
warehouse then stays exactly as it was and the shadow is kept for inspection. The report is
written in every case (target/report.md); exit 1 when anything failed.`,
  options: {
    dump: { type: 'string', value: 'SOURCE', help: 'FILE, s3://bucket/key or s3://bucket/prefix/ (default: staging.dump in pipeline.yml)' },
    date: { type: 'string', value: 'YYYYMMDD', help: 'under an S3 prefix, the dump of this date; also the as_of_date of the models' },
    'dry-run': { type: 'boolean', help: 'build and test in the shadow, but do not publish' },
    'with-routines': { type: 'boolean', help: 'also load triggers, routines and events from the dump' },
    ...SELECTION_OPTIONS,
  },
  examples: ['pipeline daily --dump s3://vendor-drop/gghouse/', 'pipeline daily --dump gghouse_20260205.sql.gz --dry-run'],
  run: notImplemented('daily'),
};
