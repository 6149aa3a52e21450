import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReport, JOB_SUMMARY_LIMIT } from '../../actions/report/render-report.ts';
import { lineageFromManifest } from '../../actions/report/lineage.ts';
import { fixtureManifest, fixtureRunResults } from '../fixtures/run-results.ts';

const links = { serverUrl: 'https://github.com', repository: 'tokyobeta/warehouse', sha: 'abc123' };

test('a successful run starts with a status line that gives the outcome, the dump, the tests and what was published', () => {
  const md = renderReport(fixtureRunResults(), { manifest: fixtureManifest() });
  const status = md.split('\n')[2]!;
  assert.match(status, /^✅ \*\*SUCCESS\*\* with 1 warning/);
  assert.match(status, /gghouse_20260205\.sql\.gz/);
  assert.match(status, /tests 2\/3 pass, 1 warn/);
  assert.match(status, /published 92 tables/);
});

test('the timeline lists each stage with its start and duration', () => {
  const md = renderReport(fixtureRunResults());
  assert.match(md, /## Timeline \(UTC\)/);
  assert.match(md, /\| ✅ load \| 01:00:00 \| 14\.2 s \|/);
  assert.match(md, /\| ✅ seed \| 01:00:15 \| 300 ms \|/);
});

test('the staging load shows tables, rows, MB, MB/s, unchanged tables and refused statements', () => {
  const md = renderReport(fixtureRunResults());
  assert.match(
    md,
    /\| `s3:\/\/tokyobeta-vendor-drop\/gghouse\/gghouse_20260205\.sql\.gz` \| `staging__shadow` \| 5 \| 5,010 \| 945 \| 14\.2 \| 66\.5 \| 1 \| 0 \| 1 \|/,
  );
  assert.match(md, /Unchanged since the last load, not reloaded: `movings`/);
  assert.ok(md.includes('| 4021 | `` GRANT ALL ON *.* TO `vendor`@`%` `` | GRANT is outside the dump envelope |'));
  assert.match(md, /`utf8mb4_0900_ai_ci` → `utf8mb4_unicode_ci` \(81\)/);
});

test('every layer lists its tables with the change since the previous run, and flags drops over 10%', () => {
  const md = renderReport(fixtureRunResults());
  for (const layer of ['staging', 'seeds', 'silver', 'gold']) assert.match(md, new RegExp(`### ${layer} — `));
  assert.match(md, /\| `silver\.int_contracts` \| table \| 59,118 \| 58,900 \| \+218 \(0\.4%\) \|/);
  assert.match(md, /\| `gold\.moveouts` \| table \| 12,000 \| 15,262 \| ⚠️ -3,262 \(-21\.4%\) \|/);
  assert.match(md, /Row count fell by more than 10%.*`gold\.moveouts` \(15,262 → 12,000\)/);
  assert.match(md, /\| `silver\.stg_tenants` \| view \| \(view\) \|/);
  assert.doesNotMatch(md, /⚠️ \+/);
});

test('a failed test shows its failing rows, samples and a GitHub link to the line that declared it', () => {
  const md = renderReport(fixtureRunResults({ status: 'error' }), { links });
  assert.match(md.split('\n')[2]!, /^❌ \*\*FAILED\*\*.*\*\*nothing published\*\*/);
  const failures = md.slice(md.indexOf('## Failures'), md.indexOf('## Timeline'));
  assert.match(
    failures,
    /test `relationships_moveouts_tenant_id` \(\[models\/gold\/_gold\.yml:31\]\(https:\/\/github\.com\/tokyobeta\/warehouse\/blob\/abc123\/models\/gold\/_gold\.yml#L31\)\): \*\*12 failing rows\*\*/,
  );
  assert.match(failures, /\| tenant_id \| moveout_date \|/);
  assert.equal((failures.match(/\| 90\d\d \|/g) ?? []).length, 5, 'at most five sample rows');
  assert.match(failures, /nothing was published: 1 error-severity test failed.*`silver__shadow`/);
  assert.match(failures, /stage \*\*build\*\* failed/);
});

test('without GitHub variables the links are paths relative to the project', () => {
  const md = renderReport(fixtureRunResults({ status: 'error' }));
  assert.match(md, /\[models\/gold\/_gold\.yml:31\]\(models\/gold\/_gold\.yml\)/);
});

test('a sample value with a pipe or newline cannot break the table', () => {
  const md = renderReport(fixtureRunResults());
  assert.match(md, /\| other \\\| odd \| 3 \|/);
  assert.match(md, /\| \*NULL\* \| 4 \|/);
});

test('the lineage is a Mermaid flowchart of sources, seeds and models, without tests', () => {
  const md = renderReport(fixtureRunResults(), { manifest: fixtureManifest() });
  const block = /```mermaid\n([\s\S]*?)\n```/.exec(md)?.[1];
  assert.ok(block, 'a mermaid block');
  assert.match(block!, /^flowchart LR/);
  assert.match(block!, /\[\("staging\.tenants"\)\]/);
  assert.match(block!, /\["gold\.new_contracts"\]/);
  assert.doesNotMatch(block!, /unique_int_contracts/);
  const lineage = lineageFromManifest(fixtureManifest())!;
  assert.equal(lineage.nodes, 7);
  assert.equal(lineage.edges, 6);
});

test('failed models are styled in the lineage', () => {
  const r = fixtureRunResults();
  r.results.find((n) => n.unique_id === 'model.tokyobeta.new_contracts')!.status = 'error';
  const lineage = lineageFromManifest(fixtureManifest(), r.results)!;
  assert.match(lineage.mermaid, /class n\d+ failed/);
});

test('a huge run is cut to fit the job summary, keeping the status line and every failure', () => {
  const r = fixtureRunResults({ status: 'error', big: 12000 });
  const full = renderReport(r, { maxBytes: Number.MAX_SAFE_INTEGER });
  assert.ok(Buffer.byteLength(full) > JOB_SUMMARY_LIMIT, `the uncut report is over the limit (${Buffer.byteLength(full)})`);
  const md = renderReport(r, { manifest: fixtureManifest() });
  assert.ok(Buffer.byteLength(md) <= JOB_SUMMARY_LIMIT, `fits: ${Buffer.byteLength(md)} bytes`);
  assert.match(md, /^# Pipeline report — daily\n\n❌ \*\*FAILED\*\*/);
  assert.match(md, /relationships_moveouts_tenant_id.*12 failing rows/);
  assert.match(md, /more rows not shown to stay under the job summary's size limit/);
});

test('a report with thousands of failures keeps every one, even over the limit', () => {
  const r = fixtureRunResults({ status: 'error' });
  for (let i = 0; i < 3000; i++) {
    r.results.push({
      unique_id: `test.tokyobeta.t${i}.ab12cd`,
      status: 'fail',
      failures: i + 1,
      message: 'x'.repeat(300),
      timing: [],
      execution_time: 0,
      adapter_response: {},
    });
  }
  const md = renderReport(r, { maxBytes: 100_000 });
  for (const i of [0, 1500, 2999]) assert.match(md, new RegExp(`\`t${i}\`: \\*\\*${(i + 1).toLocaleString('en-US')} failing rows?\\*\\*`));
});
