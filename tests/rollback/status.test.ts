import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeDBClusterSnapshotsCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { qualified, type Db } from '../../actions/platform/db.ts';
import { ensureMetaSchema, RUNS_TABLE } from '../../actions/platform/meta.ts';
import { readRecentRuns, readRollbackStatus } from '../../actions/rollback/status.ts';
import { renderStatus } from '../../actions/rollback/render.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { runPipelineInProcess } from '../helpers/cli.ts';
import { mockedRds, REGION, SOURCE, sourceCluster, writerInstance } from './fixtures.ts';

const prefix = testPrefix('rbstatus');
const meta = `${prefix}pipeline_meta`;
let db: Db;

before(async () => {
  db = await openTestDb(2);
  await ensureMetaSchema(db, meta);
  const insert = `INSERT INTO ${qualified(meta, RUNS_TABLE)} (run_id, command, status, started_at, finished_at, published_at, host, pid, connection_id)
    VALUES (?, ?, ?, ?, ?, ?, 'h', 1, 1)`;
  await db.exec(insert, ['r1', 'daily', 'success', '2026-02-04 10:53:12.000', '2026-02-04 11:05:00.000', '2026-02-04 11:04:59.000']);
  await db.exec(insert, ['r2', 'daily', 'error', '2026-02-05 09:00:00.000', '2026-02-05 09:01:00.000', null]);
  await db.exec(insert, ['r3', 'daily', 'success', '2026-02-05 10:53:40.000', '2026-02-05 11:02:00.000', '2026-02-05 11:01:58.000']);
  await db.exec(insert, ['r0', 'build', 'success', '2026-01-20 08:00:00.000', '2026-01-20 08:10:00.000', null]);
});

after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

function withSnapshots(rds: ReturnType<typeof mockedRds>) {
  rds.mock.on(DescribeDBClustersCommand).resolves({ DBClusters: [sourceCluster()] });
  rds.mock.on(DescribeDBClusterSnapshotsCommand).resolves({
    DBClusterSnapshots: [
      {
        DBClusterSnapshotIdentifier: 'rds:snap-0204',
        SnapshotCreateTime: new Date('2026-02-04T18:05:00Z'),
        Status: 'available',
        AllocatedStorage: 3,
      },
      {
        DBClusterSnapshotIdentifier: 'rds:snap-0205',
        SnapshotCreateTime: new Date('2026-02-05T18:05:00Z'),
        Status: 'available',
        AllocatedStorage: 3,
      },
    ],
  });
}

test('status shows the window, the automated snapshots newest first, and restore points just before successful runs', async () => {
  const rds = mockedRds();
  withSnapshots(rds);
  const status = await readRollbackStatus(rds.api, { cluster: SOURCE, runs: () => readRecentRuns(db, meta) });
  assert.deepEqual(rds.mock.commandCalls(DescribeDBClusterSnapshotsCommand)[0]!.args[0].input, {
    DBClusterIdentifier: SOURCE,
    SnapshotType: 'automated',
  });
  assert.deepEqual(
    status.snapshots.map((s) => s.id),
    ['rds:snap-0205', 'rds:snap-0204'],
  );
  assert.equal(status.backupRetentionDays, 7);
  assert.deepEqual(
    status.restorePoints.map((p) => [p.time.toISOString(), p.label, p.inWindow]),
    [
      ['2026-02-05T10:52:40.000Z', 'just before the daily run of 2026-02-05 10:53 UTC', true],
      ['2026-02-04T10:52:12.000Z', 'just before the daily run of 2026-02-04 10:53 UTC', true],
      ['2026-01-20T07:59:00.000Z', 'just before the build run of 2026-01-20 08:00 UTC', false],
    ],
  );
  const text = renderStatus(status);
  assert.match(text, /restore window: {4}2026-01-29T02:00:00Z \.\. 2026-02-05T11:55:00Z/);
  assert.match(text, /--to 2026-02-05T10:52:40Z {3}just before the daily run of 2026-02-05 10:53 UTC\n/);
  assert.match(text, /2026-01-20T07:59:00Z .*\(outside the restore window\)/);
});

test('status without a runs table says so instead of failing', async () => {
  const rds = mockedRds();
  withSnapshots(rds);
  const status = await readRollbackStatus(rds.api, { cluster: SOURCE, runs: () => readRecentRuns(db, `${prefix}nometa`) });
  assert.equal(status.restorePoints.length, 0);
  assert.match(status.runsNote!, /has not run against this database yet/);
  assert.match(renderStatus(status), /none: the pipeline has not run/);
});

test('the CLI: status exits 0, a dry run exits 0 and changes nothing, a missing cluster exits 1 with one line', async () => {
  const mock = mockClient(RDSClient);
  try {
    mock.on(DescribeDBClustersCommand, { DBClusterIdentifier: SOURCE }).resolves({ DBClusters: [sourceCluster()] });
    mock.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [] });
    const status = await runPipelineInProcess(['rollback', 'status', '--schema-prefix', prefix]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`Cluster ${SOURCE} \\(${REGION}\\)`));
    assert.match(status.stdout, /just before the daily run of 2026-02-05 10:53 UTC/);

    mock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [writerInstance()] });
    const dry = await runPipelineInProcess(['rollback', 'restore', '--to', '2026-02-05T10:52:40Z', '--cutover']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /Dry run: nothing was changed/);
    assert.match(dry.stdout, /ModifyDBCluster/);

    mock.on(DescribeDBClustersCommand, { DBClusterIdentifier: SOURCE }).resolves({ DBClusters: [sourceCluster({ DBClusterMembers: [] })] });
    const noWriter = await runPipelineInProcess(['rollback', 'restore', '--latest']);
    assert.equal(noWriter.code, 2);
    assert.match(noWriter.stderr, /has no writer instance/);

    mock.on(DescribeDBClustersCommand).rejects(Object.assign(new Error('DBCluster gone not found.'), { name: 'DBClusterNotFoundFault' }));
    const missing = await runPipelineInProcess([
      'rollback',
      'restore',
      '--to',
      '2026-02-05T10:52:00Z',
      '--cluster',
      'gone',
      '--region',
      'us-east-1',
    ]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
    assert.match(missing.stderr, /^error: DescribeDBClusters on cluster gone in us-east-1 failed \(DBClusterNotFoundFault/);
    assert.equal(mock.commandCalls(DescribeDBClustersCommand).length >= 3, true);
    assert.ok(
      mock.calls().every((c) => (c.args[0] as object).constructor.name.startsWith('Describe')),
      'only reads',
    );
  } finally {
    mock.restore();
  }
});
