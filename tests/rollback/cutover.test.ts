import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runAbort } from '../../actions/rollback/abort.ts';
import { runCutover, type CutoverOptions } from '../../actions/rollback/cutover.ts';
import { renderAbort, renderCutover } from '../../actions/rollback/render.ts';
import { oldClusterName, restoredClusterName } from '../../actions/rollback/restore-plan.ts';
import { runRestore } from '../../actions/rollback/restore.ts';
import type { RdsStandIn } from './rds-stand-in.ts';
import { BAD_PUBLISH, engine, Killed, productionStandIn, READER_2, recordingSchedule, SOURCE } from './fixtures.ts';
import { awsError } from './stand-in-faults.ts';

const TO = { kind: 'time' as const, time: BAD_PUBLISH };
const RESTORED = restoredClusterName(SOURCE, BAD_PUBLISH);
const OLD = oldClusterName(SOURCE, BAD_PUBLISH);

async function restored(): Promise<RdsStandIn> {
  const rds = productionStandIn();
  const r = await runRestore(engine(rds), { cluster: SOURCE, target: TO, apply: true, acceptLoss: [] });
  assert.equal(r.outcome, 'success');
  return rds;
}

function options(rds: RdsStandIn, over: Partial<CutoverOptions> = {}): CutoverOptions {
  return { cluster: SOURCE, apply: true, oldCluster: 'stop', dns: rds.dns, schedule: recordingSchedule(), ...over };
}

/** What production looks like: which cluster holds the name, where its endpoint leads, the endpoints' members. */
async function production(rds: RdsStandIn) {
  const current = rds.clusters.get(SOURCE);
  return {
    holder: current?.DbClusterResourceId,
    dns: (await rds.dns.resolve(current?.Endpoint ?? '')).at(-1),
    old: rds.clusters.get(OLD)?.Status,
    endpoints: [...rds.endpoints.values()]
      .map((e) => `${e.DBClusterEndpointIdentifier}@${e.DBClusterIdentifier}:${e.StaticMembers?.join('+')}/${e.ExcludedMembers?.join('+')}`)
      .sort(),
  };
}

test('restore, check, then cutover in a separate run: the name, endpoint, custom endpoints and schedule move safely', async () => {
  const rds = await restored();
  const restoredId = rds.clusters.get(RESTORED)!.DbClusterResourceId;
  const sourceId = rds.clusters.get(SOURCE)!.DbClusterResourceId;
  const schedule = recordingSchedule();
  const dry = await runCutover(engine(rds), options(rds, { apply: false, schedule }));
  assert.equal(dry.outcome, 'dry-run');
  assert.match(renderCutover(dry), /pause the daily schedule/);
  const writes = rds.mutations().length;
  assert.deepEqual(schedule.events, []);

  const r = await runCutover(engine(rds), options(rds, { schedule }));
  assert.equal(r.outcome, 'success', renderCutover(r));
  assert.ok(rds.mutations().length > writes);
  const p = await production(rds);
  assert.equal(p.holder, restoredId, 'the name serves the restored cluster');
  assert.equal(p.dns, `${RESTORED}-writer.c9akciq32.ap-northeast-1.rds.amazonaws.com`);
  assert.equal(rds.clusters.get(OLD)!.DbClusterResourceId, sourceId);
  assert.equal(p.old, 'stopping');
  assert.deepEqual(p.endpoints, [`tokyobeta-bi@${SOURCE}:${RESTORED}-reader-2/`, `tokyobeta-etl@${SOURCE}:/${RESTORED}-reader-2`]);
  assert.deepEqual(schedule.events, ['pause', 'resume']);
  // The renames come after the pause, the DNS wait before the old cluster is stopped.
  const names = r.steps.map((s) => s.name);
  assert.ok(names.indexOf('pause the daily schedule') < names.findIndex((n) => n.startsWith('rename the source')));
  assert.ok(
    names.findIndex((n) => n.startsWith('wait until') && n.includes('resolves')) < names.findIndex((n) => n.startsWith('stop the old')),
  );
  // Available is not enough: the endpoint's DNS follows the rename minutes later.
  assert.ok(r.steps.find((s) => s.name.includes('resolves'))!.durationSeconds >= 60);
  const text = renderCutover(r);
  assert.match(text, new RegExp(`dbuser:${restoredId}/\\*`));
  assert.match(text, new RegExp(`on arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:${sourceId}/\\*`));

  // A rerun after success changes nothing but finds everything done.
  const before = rds.mutations().length;
  const again = await runCutover(engine(rds), options(rds));
  assert.equal(again.outcome, 'success', renderCutover(again));
  assert.equal(rds.mutations().length, before);
  // abort never touches the cut-over cluster nor the old one.
  const abort = await runAbort(engine(rds), { cluster: SOURCE, apply: true });
  assert.deepEqual(abort.targets, []);
  assert.match(renderAbort(abort), /Nothing to remove/);
  assert.ok(rds.clusters.has(SOURCE) && rds.clusters.has(OLD));
});

test('the cutover refuses a restore that is not finished, and renames nothing', async () => {
  const rds = productionStandIn();
  await runRestore(engine(rds, { budget: { deadline: rds.clock.now() + 45 * 60_000 } }), {
    cluster: SOURCE,
    target: TO,
    apply: true,
    acceptLoss: [],
  });
  const schedule = recordingSchedule();
  const r = await runCutover(engine(rds), options(rds, { schedule }));
  assert.equal(r.outcome, 'error');
  assert.match(r.steps[0]!.message!, /refusing the cutover: .* is 'creating'/);
  assert.deepEqual(schedule.events, []);
  assert.ok(!rds.mutations().includes('ModifyDBCluster') || rds.clusters.has(SOURCE));
});

test('when the second rename fails, the source is renamed back and the schedule resumes', async () => {
  const rds = await restored();
  const sourceId = rds.clusters.get(SOURCE)!.DbClusterResourceId;
  rds.failing.set('ModifyDBCluster', (input) =>
    (input as { DBClusterIdentifier?: string }).DBClusterIdentifier === RESTORED
      ? awsError('InvalidDBClusterStateFault', `DbCluster ${RESTORED} is not in available state.`)
      : undefined,
  );
  const schedule = recordingSchedule();
  const r = await runCutover(engine(rds), options(rds, { schedule }));
  assert.equal(r.outcome, 'error');
  assert.ok(r.undone);
  assert.equal(rds.clusters.get(SOURCE)!.DbClusterResourceId, sourceId, 'the source has its name back');
  assert.equal(rds.clusters.get(SOURCE)!.Status, 'available');
  assert.ok(!rds.clusters.has(OLD));
  assert.ok(rds.clusters.has(RESTORED));
  assert.deepEqual(schedule.events, ['pause', 'resume']);
  assert.match(renderCutover(r), /failed and was undone/);
  // Once the cause is gone, the same command does the cutover.
  rds.failing.clear();
  const again = await runCutover(engine(rds), options(rds));
  assert.equal(again.outcome, 'success', renderCutover(again));
});

test('a schedule that cannot be paused stops the cutover before any rename', async () => {
  const rds = await restored();
  const writes = rds.mutations().length;
  const r = await runCutover(engine(rds), options(rds, { schedule: recordingSchedule(true) }));
  assert.equal(r.outcome, 'error');
  assert.equal(rds.mutations().length, writes);
});

test('a cutover killed after any call goes on with the next run and ends in the same place', async () => {
  const clean = await restored();
  const from = clean.calls.length;
  await runCutover(engine(clean), options(clean));
  const expected = await production(clean);
  const calls = clean.calls.slice(from);
  const points = calls.map(([op], k) => (!op.startsWith('Describe') || k % 7 === 0 ? k : -1)).filter((k) => k >= 0);
  for (const k of points) {
    const rds = await restored();
    await assert.rejects(runCutover(engine(rds, { killAfterCalls: k }), options(rds)), Killed);
    const r = await runCutover(engine(rds), options(rds));
    assert.equal(r.outcome, 'success', `killed after call ${k} (${calls[k]?.[0]}): ${renderCutover(r)}`);
    const p = await production(rds);
    assert.equal(p.dns, expected.dns, `killed after ${k}`);
    assert.deepEqual(p.endpoints, expected.endpoints, `killed after ${k}`);
    assert.ok(p.old === 'stopping' || p.old === 'stopped', `killed after ${k}: old is ${p.old}`);
  }
});

test('read-only instead of stop: the old writer gets the read-only parameter group and a reboot', async () => {
  const rds = await restored();
  const r = await runCutover(engine(rds), options(rds, { oldCluster: 'read-only', readOnlyParameterGroup: 'tokyobeta-read-only' }));
  assert.equal(r.outcome, 'success', renderCutover(r));
  const oldWriter = [...rds.instances.values()].find(
    (i) => i.DBClusterIdentifier === OLD && i.DBInstanceIdentifier!.endsWith('instance-1'),
  )!;
  assert.equal(oldWriter.DBParameterGroups![0]!.DBParameterGroupName, 'tokyobeta-read-only');
  assert.equal(oldWriter.DBParameterGroups![0]!.ParameterApplyStatus, 'in-sync');
  assert.ok(rds.mutations().includes('RebootDBInstance'));
  assert.equal(rds.clusters.get(OLD)!.Status, 'available');
});

test('abort removes what a restore made (deletion protection included), never the source', async () => {
  const rds = await restored();
  const dry = await runAbort(engine(rds), { cluster: SOURCE, apply: false });
  assert.deepEqual(
    dry.targets.map((t) => t.cluster),
    [RESTORED],
  );
  assert.match(renderAbort(dry), /Dry run/);
  const r = await runAbort(engine(rds), { cluster: SOURCE, apply: true });
  assert.equal(r.outcome, 'success', renderAbort(r));
  assert.deepEqual([...rds.clusters.keys()], [SOURCE]);
  assert.ok([...rds.instances.values()].every((i) => i.DBClusterIdentifier === SOURCE));
  assert.equal(rds.instances.size, 3);
  assert.ok(rds.endpoints.get('tokyobeta-bi')?.StaticMembers?.includes(READER_2));
});
