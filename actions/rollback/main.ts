/**
 * The rollback action: inputs → `pipeline rollback status|restore|cutover|abort` → outputs and job
 * summary. Every action but status is a dry run unless dry-run is false and confirm is 'apply'.
 * A cutover (or restore with cutover) gets the daily schedule to pause: the daily workflow,
 * disabled and enabled again through the GitHub API with the job's token. Every input is read
 * (and checked) whatever the action, so a malformed one fails even a status run, never silently.
 */
import { optionArgs } from '../github/action-args.ts';
import { booleanInput, choiceInput, readApply, secretInput, stringInput } from '../github/action-inputs.ts';
import { runAction } from '../github/action-run.ts';
import { workflowSchedule } from '../github/workflow-schedule.ts';
import { setRollbackServices } from '../../scripts/cli/commands/rollback.ts';

await runAction(
  'rollback',
  () => {
    const action = choiceInput('action', ['status', 'restore', 'cutover', 'abort'] as const, 'status');
    const common = { cluster: stringInput('cluster'), region: stringInput('aws-region') };
    const i = {
      to: stringInput('to'),
      latest: booleanInput('latest', false),
      cutover: booleanInput('cutover', false),
      acceptLoss: stringInput('accept-loss'),
      oldCluster: stringInput('old-cluster'),
      readOnlyGroup: stringInput('read-only-parameter-group'),
      keepPaused: booleanInput('keep-schedule-paused', false),
      timeLimit: stringInput('time-limit-minutes'),
      token: secretInput('github-token'),
      dailyWorkflow: stringInput('daily-workflow') ?? 'daily-etl.yml',
    };
    const apply = readApply(`rollback ${action}`);
    if (action === 'status') return ['rollback', 'status', ...optionArgs(common)];
    const cutover = action === 'cutover' || (action === 'restore' && i.cutover);
    const repository = process.env.GITHUB_REPOSITORY;
    if (cutover && i.token && repository) {
      setRollbackServices({
        schedule: workflowSchedule({ token: i.token, repository, workflow: i.dailyWorkflow, baseUrl: process.env.GITHUB_API_URL }),
      });
    }
    return [
      'rollback',
      action,
      ...optionArgs({
        ...common,
        'time-limit': i.timeLimit,
        to: i.to,
        latest: action === 'restore' || action === 'abort' ? i.latest : undefined,
        cutover: action === 'restore' ? cutover : undefined,
        'accept-loss': action === 'restore' ? i.acceptLoss : undefined,
        'old-cluster': cutover ? i.oldCluster : undefined,
        'read-only-parameter-group': cutover ? i.readOnlyGroup : undefined,
        'keep-schedule-paused': cutover ? i.keepPaused : undefined,
        apply,
      }),
    ];
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
      ['pipeline rollback cutover', 'the workflow with action cutover'],
      ['pipeline rollback abort', 'the workflow with action abort'],
      ['--accept-loss ', 'accept-loss: '],
    ],
  },
);
