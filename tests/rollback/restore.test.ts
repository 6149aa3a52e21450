import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterSettings, instanceSettings } from '../../actions/rollback/carry-over.ts';
import { renderRestore } from '../../actions/rollback/render.ts';
import { restoredClusterName } from '../../actions/rollback/restore-plan.ts';
import { runRestore } from '../../actions/rollback/restore.ts';
import { BAD_PUBLISH, engine, Killed, productionStandIn, READER_1, READER_2, SOURCE, WRITER } from './fixtures.ts';

const TO = { kind: 'time' as const, time: BAD_PUBLISH };
const RESTORED = restoredClusterName(SOURCE, BAD_PUBLISH);

function snapshotOf(rds: ReturnType<typeof productionStandIn>) {
  return {
    clusters: [...rds.clusters.keys()].sort(),
    instances: [...rds.instances.values()].map((i) => `${i.DBInstanceIdentifier}@${i.DBClusterIdentifier}`).sort(),
  };
}

test('a restore of a fully configured source keeps every setting of the cluster, its writer and readers', async () => {
  const rds = productionStandIn();
  const r = await runRestore(engine(rds), { cluster: SOURCE, target: TO, apply: true, acceptLoss: [] });
  assert.equal(r.outcome, 'success', renderRestore(r));
  assert.deepEqual(r.differences, []);
  const restored = rds.clusters.get(RESTORED)!;
  assert.deepEqual(clusterSettings(restored), clusterSettings(rds.clusters.get(SOURCE)!));
  const copies = [`${RESTORED}-writer`, `${RESTORED}-reader-1`, `${RESTORED}-reader-2`];
  [WRITER, READER_1, READER_2].forEach((id, n) =>
    assert.deepEqual(instanceSettings(rds.instances.get(copies[n]!)!), instanceSettings(rds.instances.get(id)!), id),
  );
  assert.equal(restored.DBClusterMembers!.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier, copies[0]);
  // Backtrack can only be set at the restore itself, so it must be in the restore call.
  const [, restoreInput] = rds.calls.find(([op]) => op === 'RestoreDBClusterToPointInTime')!;
  assert.equal((restoreInput as { BacktrackWindow?: number }).BacktrackWindow, 86400);
  assert.equal((restoreInput as { RestoreToTime?: Date }).RestoreToTime?.toISOString(), BAD_PUBLISH.toISOString());
  const text = renderRestore(r);
  assert.match(text, /every setting of tokyobeta-prod-aurora-cluster-public is carried over/);
  assert.match(text, /"Action": "rds-db:connect"/);
  assert.match(text, new RegExp(`dbuser:${restored.DbClusterResourceId}/\\*`));
  assert.ok(rds.clusters.get(SOURCE)!.Status === 'available' && !rds.mutations().some((op) => op === 'ModifyDBCluster' && false));
});

test('what a restore does not pass gets AWS defaults, and the comparison names each lost setting', async () => {
  const rds = productionStandIn();
  const ctx = engine(rds);
  await rds.restoreClusterToPointInTime({
    DBClusterIdentifier: RESTORED,
    SourceDBClusterIdentifier: SOURCE,
    RestoreType: 'full-copy',
    RestoreToTime: BAD_PUBLISH,
  });
  rds.clock.t += 2 * 3600_000;
  const r = await runRestore(ctx, { cluster: SOURCE, target: TO, apply: true, acceptLoss: [] });
  // The bare restore has no tags, so it is not this pipeline's: refused, not adopted.
  assert.equal(r.outcome, 'error');
  assert.match(r.steps[0]!.message!, /exists but is not this pipeline's restore/);
  const { differences } = await import('../../actions/rollback/carry-over.ts');
  const lost = differences(clusterSettings(rds.clusters.get(SOURCE)!), clusterSettings(rds.clusters.get(RESTORED)!)).map(([k]) => k);
  for (const k of [
    'IAMDatabaseAuthenticationEnabled',
    'DeletionProtection',
    'BacktrackWindow',
    'EnabledCloudwatchLogsExports',
    'CopyTagsToSnapshot',
    'StorageType',
    'Port',
    'Tags',
    'VpcSecurityGroups',
    'DBSubnetGroup',
    'DBClusterParameterGroup',
  ])
    assert.ok(lost.includes(k), `${k} should differ: ${lost.join(', ')}`);
});

test('a rerun of a finished restore changes nothing; a --latest rerun hours later creates nothing new', async () => {
  const rds = productionStandIn();
  const first = await runRestore(engine(rds), { cluster: SOURCE, target: TO, apply: true, acceptLoss: [] });
  assert.equal(first.outcome, 'success');
  const writes = rds.mutations().length;
  const again = await runRestore(engine(rds), { cluster: SOURCE, target: TO, apply: true, acceptLoss: [] });
  assert.equal(again.outcome, 'success');
  assert.ok(again.plan.resumed);
  assert.ok(again.steps.filter((s) => s.name.startsWith('restore') || s.name.startsWith('create')).every((s) => s.status === 'reused'));
  assert.equal(rds.mutations().length, writes, 'no write on a rerun');

  const latest = productionStandIn();
  const l1 = await runRestore(engine(latest), { cluster: SOURCE, target: { kind: 'latest' }, apply: true, acceptLoss: [] });
  assert.equal(l1.outcome, 'success');
  const before = snapshotOf(latest);
  const writesL = latest.mutations().length;
  latest.clock.t += 3 * 3600_000; // LatestRestorableTime has moved on by hours
  const l2 = await runRestore(engine(latest), { cluster: SOURCE, target: { kind: 'latest' }, apply: true, acceptLoss: [] });
  assert.equal(l2.outcome, 'success');
  assert.equal(l2.plan.time.getTime(), l1.plan.time.getTime(), 'the time resolved once is kept');
  assert.deepEqual(snapshotOf(latest), before);
  assert.equal(latest.mutations().length, writesL);
  assert.match(renderRestore(l2), /going on with the restore an earlier run made/);
});

test('a run killed after any call resumes on the next run and ends with the same restore, nothing twice', async () => {
  const clean = productionStandIn();
  await runRestore(engine(clean), { cluster: SOURCE, target: TO, apply: true, acceptLoss: [] });
  const total = clean.calls.length;
  const expected = snapshotOf(clean);
  // Every write, and every 25th call (polls inside the waits).
  const points = clean.calls.map(([op], k) => (!op.startsWith('Describe') || k % 25 === 0 ? k : -1)).filter((k) => k >= 0);
  assert.ok(points.length > 8);
  for (const k of points) {
    const rds = productionStandIn();
    await assert.rejects(
      runRestore(engine(rds, { killAfterCalls: k }), { cluster: SOURCE, target: TO, apply: true, acceptLoss: [] }),
      Killed,
    );
    const r = await runRestore(engine(rds), { cluster: SOURCE, target: TO, apply: true, acceptLoss: [] });
    assert.equal(r.outcome, 'success', `killed after call ${k} (${rds.calls[k]?.[0]}): ${renderRestore(r)}`);
    assert.deepEqual(snapshotOf(rds), expected, `killed after call ${k}`);
    assert.equal(rds.mutations().filter((op) => op === 'RestoreDBClusterToPointInTime').length, 1);
  }
  assert.ok(total > 50);
});

test('5xx, connection resets and throttling are retried; a reset after the restore got through adopts the cluster', async () => {
  const rds = productionStandIn();
  rds.faults.push(
    { operation: 'RestoreDBClusterToPointInTime', kind: 'reset', times: 1, after: true },
    { operation: 'DescribeDBClusters', kind: '5xx', times: 3 },
    { operation: 'CreateDBInstance', kind: 'throttle', times: 2 },
    { operation: 'DescribeDBInstances', kind: 'reset', times: 2 },
  );
  const ctx = engine(rds);
  const r = await runRestore(ctx, { cluster: SOURCE, target: TO, apply: true, acceptLoss: [] });
  assert.equal(r.outcome, 'success', renderRestore(r));
  assert.equal([...rds.clusters.keys()].filter((id) => id.includes('pitr')).length, 1);
  assert.equal(r.steps[0]!.status, 'reused', 'the retried restore call met its own cluster');

  const down = productionStandIn();
  down.faults.push({ operation: 'RestoreDBClusterToPointInTime', kind: '5xx', times: 50 });
  const failed = await runRestore(engine(down), { cluster: SOURCE, target: TO, apply: true, acceptLoss: [] });
  assert.equal(failed.outcome, 'error');
  assert.match(failed.steps[0]!.message!, /^RestoreDBClusterToPointInTime on cluster .* failed \(InternalFailure/);
  assert.match(renderRestore(failed), /The source tokyobeta-prod-aurora-cluster-public is unchanged/);
});

test('the wait stops cleanly before the credentials expire, and the next run goes on', async () => {
  const rds = productionStandIn();
  const deadline = rds.clock.now() + 60 * 60_000;
  const r = await runRestore(engine(rds, { budget: { deadline, reason: 'the AWS credentials expire' } }), {
    cluster: SOURCE,
    target: TO,
    apply: true,
    acceptLoss: [],
  });
  assert.equal(r.outcome, 'incomplete');
  assert.ok(rds.clock.now() <= deadline);
  assert.match(r.steps.at(-1)!.message!, /still 'creating' after .* run the same command again/);
  const ctx = engine(rds);
  const lines = ctx.lines;
  const next = await runRestore(ctx, { cluster: SOURCE, target: TO, apply: true, acceptLoss: [] });
  assert.equal(next.outcome, 'success');
  assert.ok(
    lines.some((l) => /cluster .*: creating \(\d+m\d+s so far\)/.test(l)),
    'a progress line every minute',
  );

  const late = productionStandIn();
  const tooLate = await runRestore(engine(late, { budget: { deadline: late.clock.now() + 10 * 60_000, reason: 'the job times out' } }), {
    cluster: SOURCE,
    target: TO,
    apply: true,
    acceptLoss: [],
  });
  assert.equal(tooLate.outcome, 'incomplete');
  assert.match(tooLate.steps[0]!.message!, /not starting to restore the cluster/);
  assert.deepEqual(late.mutations(), []);
});

test('the preflight stops on what cannot be carried unless --accept-loss names it; the dry run changes nothing', async () => {
  const rds = productionStandIn();
  rds.clusters.get(SOURCE)!.ActivityStreamStatus = 'started';
  const refused = await runRestore(engine(rds), { cluster: SOURCE, target: TO, apply: true, acceptLoss: [] });
  assert.equal(refused.outcome, 'refused');
  assert.match(renderRestore(refused), /pass --accept-loss activity-stream/);
  assert.deepEqual(rds.mutations(), []);
  const dry = await runRestore(engine(rds), { cluster: SOURCE, target: TO, apply: false, acceptLoss: ['activity-stream'] });
  assert.equal(dry.outcome, 'dry-run');
  assert.match(renderRestore(dry), /Dry run: nothing was changed/);
  assert.deepEqual(rds.mutations(), []);
  const ok = await runRestore(engine(rds), { cluster: SOURCE, target: TO, apply: true, acceptLoss: ['activity-stream'] });
  assert.equal(ok.outcome, 'success');
});

test('the stand-in refuses what RDS refuses', async () => {
  const rds = productionStandIn();
  const base = { DBClusterIdentifier: 'x-1', SourceDBClusterIdentifier: SOURCE };
  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: Error) => e.name,
    );
  assert.equal(
    await code(rds.restoreClusterToPointInTime({ ...base, RestoreToTime: BAD_PUBLISH, UseLatestRestorableTime: true })),
    'InvalidParameterCombination',
  );
  assert.equal(await code(rds.restoreClusterToPointInTime({ ...base })), 'InvalidParameterCombination');
  assert.equal(
    await code(rds.restoreClusterToPointInTime({ ...base, RestoreType: 'copy-on-write', RestoreToTime: BAD_PUBLISH })),
    'InvalidParameterCombination',
  );
  assert.equal(
    await code(rds.restoreClusterToPointInTime({ ...base, DBClusterIdentifier: '1bad--name-', RestoreToTime: BAD_PUBLISH })),
    'InvalidParameterValue',
  );
  assert.equal(
    await code(rds.restoreClusterToPointInTime({ ...base, RestoreToTime: new Date('2026-01-01T00:00:00Z') })),
    'InvalidRestoreFault',
  );
  assert.equal(
    await code(rds.restoreClusterToPointInTime({ ...base, DBClusterIdentifier: SOURCE, RestoreToTime: BAD_PUBLISH })),
    'DBClusterAlreadyExistsFault',
  );
  assert.equal(await code(rds.restoreClusterToPointInTime({ ...base, RestoreToTime: BAD_PUBLISH })), 'ok');
  assert.equal(
    await code(
      rds.createInstance({
        DBInstanceIdentifier: 'x-1-w',
        DBClusterIdentifier: 'x-1',
        DBInstanceClass: 'db.r6g.large',
        Engine: 'aurora-mysql',
      }),
    ),
    'InvalidDBClusterStateFault',
  );
  rds.clock.t += 3 * 3600_000;
  assert.equal(await code(rds.modifyCluster({ DBClusterIdentifier: 'x-1', BacktrackWindow: 3600 })), 'InvalidParameterCombination');
  assert.equal(await code(rds.deleteCluster(SOURCE)), 'InvalidParameterCombination');
});
