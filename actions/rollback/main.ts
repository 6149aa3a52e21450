/**
 * The rollback action: inputs → `pipeline rollback status|restore|cutover|abort` → outputs and job
 * summary. Every action but status is a dry run unless dry-run is false and confirm is 'apply'.
 * A cutover (or restore with cutover) gets the daily schedule to pause: the daily workflow,
 * disabled and enabled again through the GitHub API with the job's token.
 */
import { secretInput, booleanInput, choiceInput, readApply, stringInput } from '../github/action-inputs.ts';
import { runAction } from '../github/action-run.ts';
import { optionArgs } from '../github/action-args.ts';
import { workflowSchedule } from '../github/workflow-schedule.ts';
import { setRollbackServices } from '../../scripts/cli/commands/rollback.ts';

await runAction(
  'rollback',
  () => {
    const action = choiceInput('action', ['status', 'restore', 'cutover', 'abort'] as const, 'status');
    const common = { cluster: stringInput('cluster'), region: stringInput('aws-region'), 'time-limit': stringInput('time-limit-minutes') };
    if (action === 'status') return ['rollback', 'status', ...optionArgs({ cluster: common.cluster, region: common.region })];
    const cutover = action === 'cutover' || (action === 'restore' && booleanInput('cutover', false));
    const apply = readApply(`rollback ${action}`);
    if (cutover) {
      const token = secretInput('github-token');
      const repository = process.env.GITHUB_REPOSITORY;
      if (token && repository)
        setRollbackServices({
          schedule: workflowSchedule({
            token,
            repository,
            workflow: stringInput('daily-workflow') ?? 'daily-etl.yml',
            baseUrl: process.env.GITHUB_API_URL,
          }),
        });
    }
    const to = stringInput('to');
    const latest = booleanInput('latest', false);
    return [
      'rollback',
      action,
      ...optionArgs({
        ...common,
        to,
        latest: action === 'restore' || action === 'abort' ? latest : undefined,
        cutover: action === 'restore' ? cutover : undefined,
        'accept-loss': action === 'restore' ? stringInput('accept-loss') : undefined,
        'old-cluster': cutover ? stringInput('old-cluster') : undefined,
        'read-only-parameter-group': cutover ? stringInput('read-only-parameter-group') : undefined,
        'keep-schedule-paused': cutover ? booleanInput('keep-schedule-paused', false) : undefined,
        apply,
      }),
    ];
  },
  { printedInSummary: 'text' },
);
