import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { restoreServices, setRollbackServices, type RollbackServices } from '../../scripts/cli/commands/rollback.ts';
import { oldClusterName, restoredClusterName } from '../../actions/rollback/restore-plan.ts';
import { runPipelineInProcess } from '../helpers/cli.ts';
import { BAD_PUBLISH, productionStandIn, SOURCE } from './fixtures.ts';
import type { RdsStandIn } from './rds-stand-in.ts';

let rds: RdsStandIn;
let saved: RollbackServices;
const cli = (...args: string[]) =>
  runPipelineInProcess(['rollback', ...args, '--cluster', SOURCE, '--region', 'ap-northeast-1'], { PIPELINE_SCHEMA_PREFIX: 'rbcli_none_' });

function freshStandIn(): void {
  rds = productionStandIn();
  setRollbackServices({ rds: () => ({ api: rds, close() {} }), clock: rds.clock, dns: rds.dns, pollSeconds: 30 });
}

before(() => {
  saved = setRollbackServices({});
  freshStandIn();
});
after(() => restoreServices(saved));

test('the CLI: restore, check, cutover as separate runs, each a dry run first; exit codes say what happened', async () => {
  const to = BAD_PUBLISH.toISOString();
  const dry = await cli('restore', '--to', to);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /Dry run: nothing was changed/);
  assert.deepEqual(rds.mutations(), []);

  const applied = await cli('restore', '--to', to, '--apply');
  assert.equal(applied.code, 0, applied.stderr + applied.stdout);
  assert.match(applied.stdout, /Check the data there, then: pipeline rollback cutover --apply/);
  const restored = restoredClusterName(SOURCE, BAD_PUBLISH);
  assert.ok(rds.clusters.has(restored));

  const status = await cli('status');
  assert.match(
    status.stdout,
    new RegExp(`Restores waiting for a cutover \\(1\\):\\n  ${restored}  to ${to.replace('.000Z', 'Z')}  available`),
  );

  const again = await cli('restore', '--to', to, '--apply');
  assert.equal(again.code, 0);
  assert.match(again.stdout, /reused/);

  const cutDry = await cli('cutover');
  assert.equal(cutDry.code, 0, cutDry.stderr);
  assert.match(cutDry.stdout, /the daily schedule is not paused by the CLI/);
  const cut = await cli('cutover', '--apply');
  assert.equal(cut.code, 0, cut.stderr + cut.stdout);
  assert.match(cut.stdout, /Done: .* serves the data of 2026-02-05T10:52:00Z/);
  assert.ok(rds.clusters.has(oldClusterName(SOURCE, BAD_PUBLISH)));
  const nothing = await cli('abort');
  assert.equal(nothing.code, 0);
  assert.match(nothing.stdout, /Nothing to remove/);
});

test('the CLI refuses a time without its offset, and misplaced options, with exit 2 and one line', async () => {
  freshStandIn();
  const bare = await cli('restore', '--to', '2026-02-05T10:52:00');
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /^error: --to '2026-02-05T10:52:00' has no time zone\. To fix this, write it in UTC with a Z/);
  assert.equal(bare.stderr.trim().split('\n').length, 1);
  const jst = await cli('restore', '--to', '2026-02-05T19:52:00+09:00');
  assert.equal(jst.code, 0, jst.stderr);
  assert.match(jst.stdout, /Restore: {2}to 2026-02-05T10:52:00Z/);
  assert.equal((await cli('status', '--apply')).code, 2);
  assert.equal((await cli('cutover', '--cutover')).code, 2);
  const ro = await cli('cutover', '--old-cluster', 'read-only');
  assert.equal(ro.code, 2);
  assert.match(ro.stderr, /needs --read-only-parameter-group/);
  const expired = await runPipelineInProcess(
    ['rollback', 'restore', '--latest', '--apply', '--cluster', SOURCE, '--region', 'ap-northeast-1'],
    {
      // As configure-aws-credentials' aws-expiration output arrives: a Date written as JSON.
      AWS_CREDENTIAL_EXPIRATION: JSON.stringify(new Date(rds.clock.now() + 12 * 60_000)),
    },
  );
  assert.equal(expired.code, 1);
  assert.match(expired.stdout, /not starting to restore the cluster: .* remain before the AWS credentials expire/);
});
