/**
 * The rollback action: inputs → `pipeline rollback status|restore` → outputs and job summary.
 * A restore is a dry run unless dry-run is false and confirm is 'apply'. Every input is read (and
 * checked) whatever the action, so a malformed one fails even a status run, never silently.
 */
import { booleanInput, choiceInput, readApply, stringInput } from '../github/action-inputs.ts';
import { runAction } from '../github/action-run.ts';
import { optionArgs } from '../github/action-args.ts';

await runAction(
  'rollback',
  () => {
    const action = choiceInput('action', ['status', 'restore'] as const, 'status');
    const common = { cluster: stringInput('cluster'), region: stringInput('aws-region') };
    const restore = {
      to: stringInput('to'),
      latest: booleanInput('latest', false),
      cutover: booleanInput('cutover', false),
      apply: readApply('rollback restore'),
    };
    if (action === 'status') return ['rollback', 'status', ...optionArgs(common)];
    return ['rollback', 'restore', ...optionArgs({ ...common, ...restore })];
  },
  {
    printedInSummary: 'text',
    summary: 'short',
    // The plan the CLI prints, in the words of the workflow's inputs.
    actionsWording: [
      [
        'To restore: pipeline rollback restore --to ISO-TIME (a dry run; add --apply to do it), or --latest.',
        'To restore: run the workflow with action restore and to set to one of the times above (a dry run; untick dry-run and type apply in confirm to do it), or tick latest.',
      ],
      ['  --to ', '  to: '],
      ['With --apply this would:', "With dry-run unticked and confirm 'apply' this would:"],
      ['or run again with --cutover.', 'or run the workflow again with cutover ticked.'],
    ],
  },
);
