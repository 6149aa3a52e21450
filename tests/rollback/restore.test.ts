import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  RestoreDBClusterToPointInTimeCommand,
} from '@aws-sdk/client-rds';
import { UsageError } from '../../actions/platform/errors.ts';
import { createMemoryLogger } from '../../actions/platform/log.ts';
import { renderRestore } from '../../actions/rollback/render.ts';
import { runRestore, type RestoreOptions } from '../../actions/rollback/restore.ts';
import { TAG_RESTORED_FROM, TAG_RESTORED_TO } from '../../actions/rollback/restore-plan.ts';
import { awsError, mockedRds, REGION, SOURCE, sourceCluster, WRITER, writerInstance } from './fixtures.ts';

const TO = new Date('2026-02-05T10:52:00Z');
const RESTORED = `${SOURCE}-pitr-202602051052`;
const RESTORED_WRITER = `${RESTORED}-writer`;
const NOW = new Date('2026-02-05T12:00:00Z');
const OLD = `${SOURCE}-old-202602051200`;

const options = (o: Partial<RestoreOptions> = {}): RestoreOptions => ({
  cluster: SOURCE,
  target: { kind: 'time', time: TO },
  apply: true,
  cutover: false,
  maxWaitSeconds: 5,
  now: () => NOW,
  ...o,
});

/** A world where every call succeeds: the source, and the restored cluster and writer once created. */
function happyWorld() {
  const rds = mockedRds();
  const { mock } = rds;
  mock.on(DescribeDBClustersCommand, { DBClusterIdentifier: SOURCE }).resolves({ DBClusters: [sourceCluster()] });
  mock.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: WRITER }).resolves({ DBInstances: [writerInstance()] });
  mock.on(RestoreDBClusterToPointInTimeCommand).resolves({ DBCluster: { DBClusterIdentifier: RESTORED, Status: 'creating' } });
  mock.on(DescribeDBClustersCommand, { DBClusterIdentifier: RESTORED }).resolves({
    DBClusters: [
      {
        DBClusterIdentifier: RESTORED,
        Status: 'available',
        Endpoint: `${RESTORED}.cluster-abc.${REGION}.rds.amazonaws.com`,
        DBClusterMembers: [{ DBInstanceIdentifier: RESTORED_WRITER, IsClusterWriter: true }],
      },
    ],
  });
  mock.on(CreateDBInstanceCommand).resolves({ DBInstance: { DBInstanceIdentifier: RESTORED_WRITER, DBInstanceStatus: 'creating' } });
  mock.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: RESTORED_WRITER }).resolves({
    DBInstances: [{ DBInstanceIdentifier: RESTORED_WRITER, DBInstanceStatus: 'available' }],
  });
  return rds;
}

/** The calls made, as [command name, input] pairs. */
function calls(rds: ReturnType<typeof mockedRds>): Array<[string, Record<string, unknown>]> {
  return rds.mock.calls().map((c) => {
    const cmd = c.args[0] as unknown as { constructor: { name: string }; input: Record<string, unknown> };
    return [cmd.constructor.name.replace(/Command$/, ''), cmd.input];
  });
}

const mutating = (rds: ReturnType<typeof mockedRds>) =>
  calls(rds)
    .filter(([name]) => !name.startsWith('Describe'))
    .map(([name, input]) => `${name} ${String(input.DBClusterIdentifier ?? input.DBInstanceIdentifier)}`);

const expectedRestore = {
  DBClusterIdentifier: RESTORED,
  SourceDBClusterIdentifier: SOURCE,
  RestoreType: 'full-copy',
  RestoreToTime: TO,
  DBSubnetGroupName: 'tokyobeta-public-subnets',
  VpcSecurityGroupIds: ['sg-0aa', 'sg-0bb'],
  DBClusterParameterGroupName: 'tokyobeta-aurora-mysql8',
  Tags: [
    { Key: TAG_RESTORED_FROM, Value: SOURCE },
    { Key: TAG_RESTORED_TO, Value: TO.toISOString() },
  ],
};
const expectedWriter = {
  DBInstanceIdentifier: RESTORED_WRITER,
  DBClusterIdentifier: RESTORED,
  DBInstanceClass: 'db.r6g.large',
  Engine: 'aurora-mysql',
  DBParameterGroupName: 'tokyobeta-aurora-mysql8-instance',
  PubliclyAccessible: true,
  Tags: expectedRestore.Tags,
};

test('a dry run only reads, and prints the exact calls --apply would make', async () => {
  const rds = happyWorld();
  const report = await runRestore(rds.api, options({ apply: false, cutover: true }), createMemoryLogger());
  assert.deepEqual(calls(rds), [
    ['DescribeDBClusters', { DBClusterIdentifier: SOURCE }],
    ['DescribeDBInstances', { DBInstanceIdentifier: WRITER }],
  ]);
  assert.equal(report.status, 'dry-run');
  assert.deepEqual(report.plan.restore, expectedRestore);
  assert.deepEqual(report.plan.createWriter, expectedWriter);
  const text = renderRestore(report);
  assert.match(text, /Dry run: nothing was changed/);
  assert.match(text, /1\. RestoreDBClusterToPointInTime \{/);
  assert.match(text, /"RestoreType": "full-copy"/);
  assert.match(text, /"VpcSecurityGroupIds": \[\n\s+"sg-0aa",\n\s+"sg-0bb"/);
  assert.match(text, new RegExp(`"NewDBClusterIdentifier": "${OLD}"`));
});

test('--apply restores full-copy with the source network and parameters, adds the writer, waits, prints the endpoint', async () => {
  const rds = happyWorld();
  const log = createMemoryLogger();
  const report = await runRestore(rds.api, options(), log);
  assert.equal(report.status, 'success', JSON.stringify(report.steps));
  assert.deepEqual(calls(rds), [
    ['DescribeDBClusters', { DBClusterIdentifier: SOURCE }],
    ['DescribeDBInstances', { DBInstanceIdentifier: WRITER }],
    ['RestoreDBClusterToPointInTime', expectedRestore],
    ['DescribeDBClusters', { DBClusterIdentifier: RESTORED }],
    ['CreateDBInstance', expectedWriter],
    ['DescribeDBInstances', { DBInstanceIdentifier: RESTORED_WRITER }],
    ['DescribeDBClusters', { DBClusterIdentifier: RESTORED }],
  ]);
  assert.equal(report.endpoint, `${RESTORED}.cluster-abc.${REGION}.rds.amazonaws.com`);
  assert.match(renderRestore(report), new RegExp(`Endpoint: ${RESTORED}\\.cluster-abc`));
  assert.ok(
    log.lines.some((l) => l.includes(`cluster ${RESTORED}: available`)),
    log.lines.join('\n'),
  );
});

test('--latest asks for the latest restorable time instead of a time', async () => {
  const rds = happyWorld();
  const report = await runRestore(rds.api, options({ target: { kind: 'latest' }, apply: false }), createMemoryLogger());
  assert.equal(report.plan.restore.UseLatestRestorableTime, true);
  assert.equal(report.plan.restore.RestoreToTime, undefined);
  assert.equal(report.plan.restoredCluster, `${SOURCE}-pitr-202602051155`);
});

test('a time outside the restore window is refused before any change', async () => {
  for (const time of [new Date('2026-01-01T00:00:00Z'), new Date('2026-02-05T11:56:00Z')]) {
    const rds = happyWorld();
    await assert.rejects(runRestore(rds.api, options({ target: { kind: 'time', time } }), createMemoryLogger()), (err: Error) => {
      assert.ok(err instanceof UsageError);
      assert.match(
        err.message,
        /restore window of tokyobeta-prod-aurora-cluster-public \(2026-01-29T02:00:00\.000Z to 2026-02-05T11:55:00\.000Z\)/,
      );
      assert.match(err.message, /To fix this/);
      return true;
    });
    assert.deepEqual(mutating(rds), []);
  }
});

test('the waiter shows progress while the restored cluster is created', async () => {
  const rds = happyWorld();
  rds.mock
    .on(DescribeDBClustersCommand, { DBClusterIdentifier: RESTORED })
    .resolvesOnce({ DBClusters: [{ DBClusterIdentifier: RESTORED, Status: 'creating' }] })
    .resolvesOnce({ DBClusters: [{ DBClusterIdentifier: RESTORED, Status: 'creating' }] })
    .resolves({ DBClusters: [{ DBClusterIdentifier: RESTORED, Status: 'available', Endpoint: 'e' }] });
  const log = createMemoryLogger();
  const report = await runRestore(rds.api, options(), log);
  assert.equal(report.status, 'success');
  const polls = log.lines.filter((l) => l.includes(`cluster ${RESTORED}:`));
  assert.deepEqual(
    polls.map((l) => l.split(': ')[1]!.split(' ')[0]),
    ['creating', 'creating', 'available'],
  );
});

test('instance creation failing after the restore: the report says what exists and how to clean it up', async () => {
  const rds = happyWorld();
  rds.mock
    .on(CreateDBInstanceCommand)
    .rejects(awsError('InsufficientDBInstanceCapacityFault', 'Cannot create a db.r6g.large in ap-northeast-1a'));
  const report = await runRestore(rds.api, options(), createMemoryLogger());
  assert.equal(report.status, 'error');
  assert.deepEqual(mutating(rds), [`RestoreDBClusterToPointInTime ${RESTORED}`, `CreateDBInstance ${RESTORED}`]);
  const failed = report.steps.find((s) => s.status === 'error')!;
  assert.match(failed.message!, /^CreateDBInstance on instance .* failed \(InsufficientDBInstanceCapacityFault: Cannot create/);
  assert.ok(
    report.leftovers.some((l) => l.includes(`${RESTORED} exists with no instance`)),
    report.leftovers.join('\n'),
  );
  assert.ok(report.leftovers.some((l) => l.includes(`${SOURCE} is unchanged`)));
  assert.deepEqual(report.cleanup, [
    `aws rds delete-db-cluster --db-cluster-identifier ${RESTORED} --skip-final-snapshot --region ${REGION}`,
  ]);
  const text = renderRestore(report);
  assert.match(text, /The restore did not finish\. What exists now:/);
  assert.match(text, /To clean up:\n {2}aws rds delete-db-cluster/);
});

test('throttling is retried with growing backoff, then succeeds', async () => {
  const rds = happyWorld();
  rds.mock
    .on(RestoreDBClusterToPointInTimeCommand)
    .rejectsOnce(awsError('Throttling', 'Rate exceeded'))
    .rejectsOnce(awsError('Throttling', 'Rate exceeded'))
    .resolves({ DBCluster: { DBClusterIdentifier: RESTORED } });
  const report = await runRestore(rds.api, options(), createMemoryLogger());
  assert.equal(report.status, 'success');
  assert.equal(rds.mock.commandCalls(RestoreDBClusterToPointInTimeCommand).length, 3);
  assert.equal(rds.sleeps.length, 2);
  assert.ok(rds.sleeps[1]! >= 10 && rds.sleeps[0]! <= 10, `backoff grows: ${rds.sleeps}`);
});

test('throttling that does not stop becomes one line saying to wait and retry', async () => {
  const rds = happyWorld();
  rds.mock.on(RestoreDBClusterToPointInTimeCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
  const report = await runRestore(rds.api, options(), createMemoryLogger());
  assert.equal(report.status, 'error');
  assert.equal(rds.mock.commandCalls(RestoreDBClusterToPointInTimeCommand).length, 6);
  const msg = report.steps.at(-1)!.message!;
  assert.match(msg, /kept throttling the request after several retries\. To fix this, wait a minute/);
  assert.doesNotMatch(msg, /\n/);
  assert.deepEqual(report.leftovers, [`nothing was created; the source cluster ${SOURCE} is unchanged`]);
});

test('access denied, not found and a refused restore time each become one clear line', async () => {
  const denied = happyWorld();
  denied.mock
    .on(RestoreDBClusterToPointInTimeCommand)
    .rejects(
      awsError(
        'AccessDenied',
        `User: arn:aws:sts::123:assumed-role/etl is not authorized to perform: rds:RestoreDBClusterToPointInTime`,
        403,
      ),
    );
  const r1 = await runRestore(denied.api, options(), createMemoryLogger());
  assert.match(
    r1.steps.at(-1)!.message!,
    /\(AccessDenied: User: .*\)\. To fix this, allow rds:RestoreDBClusterToPointInTime on cluster tokyobeta-prod-aurora-cluster-public in ap-northeast-1/,
  );
  assert.equal(denied.mock.commandCalls(RestoreDBClusterToPointInTimeCommand).length, 1, 'access denied is not retried');

  const missing = mockedRds();
  missing.mock.on(DescribeDBClustersCommand).rejects(awsError('DBClusterNotFoundFault', 'DBCluster nope not found.', 404));
  await assert.rejects(
    runRestore(missing.api, options({ cluster: 'nope' }), createMemoryLogger()),
    /DescribeDBClusters on cluster nope in ap-northeast-1 failed \(DBClusterNotFoundFault: DBCluster nope not found\.\)\. To fix this, check the identifier and region \(rollback\.cluster/,
  );

  const window = happyWorld();
  window.mock
    .on(RestoreDBClusterToPointInTimeCommand)
    .rejects(awsError('InvalidRestoreFault', 'The restore time is outside the restorable window'));
  const r3 = await runRestore(window.api, options(), createMemoryLogger());
  assert.match(r3.steps.at(-1)!.message!, /outside the cluster's restore window\. To fix this, run 'pipeline rollback status'/);
});

test('an access error while waiting stops the wait at once instead of timing out', async () => {
  const rds = happyWorld();
  rds.mock
    .on(DescribeDBClustersCommand, { DBClusterIdentifier: RESTORED })
    .rejects(awsError('AccessDenied', 'not authorized to perform: rds:DescribeDBClusters', 403));
  const started = Date.now();
  const report = await runRestore(rds.api, options({ maxWaitSeconds: 60 }), createMemoryLogger());
  assert.ok(Date.now() - started < 5000);
  assert.equal(report.status, 'error');
  assert.match(report.steps.at(-1)!.message!, /DescribeDBClusters on cluster .*pitr.* failed \(AccessDenied/);
  assert.equal(rds.mock.commandCalls(CreateDBInstanceCommand).length, 0);
  assert.ok(report.cleanup[0]!.startsWith(`aws rds delete-db-cluster --db-cluster-identifier ${RESTORED}`));
});

test('--cutover renames the source aside and the restored cluster to the original name', async () => {
  const rds = happyWorld();
  rds.mock.on(ModifyDBClusterCommand).resolves({});
  rds.mock
    .on(DescribeDBClustersCommand, { DBClusterIdentifier: OLD })
    .resolves({ DBClusters: [{ DBClusterIdentifier: OLD, Status: 'available' }] });
  rds.mock
    .on(DescribeDBClustersCommand, { DBClusterIdentifier: SOURCE })
    .resolvesOnce({ DBClusters: [sourceCluster()] })
    .resolvesOnce({ DBClusters: [{ DBClusterIdentifier: SOURCE, Status: 'renaming' }] })
    .resolves({
      DBClusters: [{ DBClusterIdentifier: SOURCE, Status: 'available', Endpoint: `${SOURCE}.cluster-abc.${REGION}.rds.amazonaws.com` }],
    });
  const report = await runRestore(rds.api, options({ cutover: true }), createMemoryLogger());
  assert.equal(report.status, 'success', JSON.stringify(report.steps, null, 1));
  assert.deepEqual(
    calls(rds)
      .filter(([n]) => n === 'ModifyDBCluster')
      .map(([, input]) => input),
    [
      { DBClusterIdentifier: SOURCE, NewDBClusterIdentifier: OLD, ApplyImmediately: true },
      { DBClusterIdentifier: RESTORED, NewDBClusterIdentifier: SOURCE, ApplyImmediately: true },
    ],
  );
  assert.equal(report.endpoint, `${SOURCE}.cluster-abc.${REGION}.rds.amazonaws.com`);
  assert.ok(
    calls(rds).every(([n]) => !/Delete/.test(n)),
    'nothing is deleted',
  );
});

test('--cutover is refused when the restored cluster is not available', async () => {
  const rds = happyWorld();
  rds.mock
    .on(DescribeDBClustersCommand, { DBClusterIdentifier: RESTORED })
    .resolvesOnce({ DBClusters: [{ DBClusterIdentifier: RESTORED, Status: 'available' }] })
    .resolvesOnce({ DBClusters: [{ DBClusterIdentifier: RESTORED, Status: 'available', Endpoint: 'e' }] })
    .resolves({
      DBClusters: [
        {
          DBClusterIdentifier: RESTORED,
          Status: 'backing-up',
          DBClusterMembers: [{ DBInstanceIdentifier: RESTORED_WRITER, IsClusterWriter: true }],
        },
      ],
    });
  const report = await runRestore(rds.api, options({ cutover: true }), createMemoryLogger());
  assert.equal(report.status, 'error');
  assert.match(report.steps.at(-1)!.message!, /refusing the cutover: .* is 'backing-up', not available/);
  assert.equal(rds.mock.commandCalls(ModifyDBClusterCommand).length, 0);
});

test('a cutover that fails after renaming the source says how to finish or undo it', async () => {
  const rds = happyWorld();
  rds.mock.on(ModifyDBClusterCommand, { DBClusterIdentifier: SOURCE }).resolves({});
  rds.mock
    .on(ModifyDBClusterCommand, { DBClusterIdentifier: RESTORED })
    .rejects(awsError('InvalidDBClusterStateFault', 'DB cluster is not available'));
  rds.mock
    .on(DescribeDBClustersCommand, { DBClusterIdentifier: OLD })
    .resolves({ DBClusters: [{ DBClusterIdentifier: OLD, Status: 'available' }] });
  const report = await runRestore(rds.api, options({ cutover: true }), createMemoryLogger());
  assert.equal(report.status, 'error');
  assert.ok(report.leftovers[0]!.includes(`the source is now named ${OLD}`));
  assert.deepEqual(report.cleanup, [
    `to finish the cutover: aws rds modify-db-cluster --db-cluster-identifier ${RESTORED} --new-db-cluster-identifier ${SOURCE} --apply-immediately --region ${REGION}`,
    `or to undo it: aws rds modify-db-cluster --db-cluster-identifier ${OLD} --new-db-cluster-identifier ${SOURCE} --apply-immediately --region ${REGION}`,
  ]);
});

test('long source names are shortened so the restored names fit the 63-character limit', async () => {
  const long = 'a'.repeat(60);
  const rds = mockedRds();
  rds.mock.on(DescribeDBClustersCommand).resolves({ DBClusters: [sourceCluster({ DBClusterIdentifier: long })] });
  rds.mock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [writerInstance()] });
  const report = await runRestore(rds.api, options({ cluster: long, apply: false, cutover: true }), createMemoryLogger());
  assert.ok(report.plan.restoredWriter.length <= 63, report.plan.restoredWriter);
  assert.ok(report.plan.cutover!.oldName.length <= 63);
  assert.match(report.plan.restoredCluster, /^a+-pitr-202602051052$/);
});

test('a Serverless v2 source passes its capacity range, so the restored writer can be db.serverless', async () => {
  const rds = mockedRds();
  rds.mock
    .on(DescribeDBClustersCommand)
    .resolves({ DBClusters: [sourceCluster({ ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 8 } })] });
  rds.mock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [writerInstance({ DBInstanceClass: 'db.serverless' })] });
  const report = await runRestore(rds.api, options({ apply: false }), createMemoryLogger());
  assert.deepEqual(report.plan.restore.ServerlessV2ScalingConfiguration, { MinCapacity: 0.5, MaxCapacity: 8 });
  assert.equal(report.plan.createWriter.DBInstanceClass, 'db.serverless');
});
