/**
 * The cleanup action: inputs → `pipeline cleanup` → outputs and job summary. A dry run (the list
 * of what would be archived and dropped) unless dry-run is false and confirm is 'apply'.
 */
import { readApply, stringInput } from '../github/action-inputs.ts';
import { runAction } from '../github/action-run.ts';
import { optionArgs } from '../github/action-args.ts';

await runAction(
  'cleanup',
  () => [
    'cleanup',
    ...optionArgs({
      'archive-to': stringInput('archive-to'),
      apply: readApply('cleanup'),
    }),
  ],
  { printedInSummary: 'markdown' },
);
