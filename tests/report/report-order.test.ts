/**
 * What a reader needs first: the status and failures once, then what changed in gold and silver,
 * the tests, then the load; staging's many tables collapsed with only those worth a look shown
 * open; a dry run reported as a success with a note, never as a failure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReport } from '../../actions/report/render-report.ts';
import type { RunResults } from '../../actions/platform/run-results.ts';
import { fixtureRunResults } from '../fixtures/run-results.ts';

const at = (md: string, heading: string) => {
  const i = md.indexOf(heading);
  assert.ok(i >= 0, `no '${heading}' in the report`);
  return i;
};

test('the report is ordered: status, failures, gold, silver, tests, load; the status is given once', () => {
  const md = renderReport(fixtureRunResults({ status: 'error' }));
  const order = ['❌ **FAILED**', '## Failures', '### gold', '### silver', '### staging', '## Tests', '## Staging load', '## Timeline'].map(
    (h) => at(md, h),
  );
  assert.deepEqual(
    order,
    [...order].sort((a, b) => a - b),
  );
  assert.equal(md.match(/❌ \*\*FAILED\*\*/g)?.length, 1);
});

test('staging is collapsed, with only the tables worth a look shown: emptied, fell by more than 10%, new, removed', () => {
  const r = fixtureRunResults({ big: 60 });
  const staging = r.tables!.filter((t) => t.layer === 'staging');
  staging[0]!.rows = 0; // tenants emptied
  staging[2]!.rows = Math.round(staging[2]!.previousRows! * 0.8); // apartments fell by 20%
  staging[3]!.previousRows = null; // rooms is new in the dump
  r.load!.tables.push({ table: 'old_vendor_table', rows: 0, bytes: 0, seconds: 0, status: 'dropped' });
  const md = renderReport(r);
  const section = md.slice(at(md, '### staging'), at(md, '## Tests'));
  assert.match(section, /\*\*Worth a look:\*\*/);
  assert.match(section, /- `tenants`: emptied \(1,000 → 0\)/);
  assert.match(section, /- `apartments`: rows fell by more than 10%/);
  assert.match(section, /- `rooms`: new in the dump/);
  assert.match(section, /- `old_vendor_table`: no longer in the dump, removed from staging/);
  assert.doesNotMatch(section.slice(0, section.indexOf('<details>')), /extra_table_1/, 'the unremarkable tables stay collapsed');
  assert.match(section, /<details><summary>All 65 staging tables<\/summary>/);
});

test('on a first run (no previous counts) no staging table is called new', () => {
  const r = fixtureRunResults();
  for (const t of r.tables!) t.previousRows = null;
  const md = renderReport(r);
  assert.doesNotMatch(md, /new in the dump/);
  assert.match(md, /Nothing unusual/);
});

test('a dry run is a success with a note, and "nothing was published" is not a failure', () => {
  const base = fixtureRunResults();
  const r: RunResults = {
    ...base,
    args: { ...base.args, dry_run: true },
    publish: { published: false, tables: 0, reason: 'dry run: built in the shadow, not published', shadowSchemas: ['gold__shadow'] },
  };
  const md = renderReport(r);
  const status = md.split('\n')[2]!;
  assert.match(status, /^✅ \*\*SUCCESS\*\*.*dry run: built and tested in the shadow, not published \(as asked\)/);
  assert.doesNotMatch(status, /nothing published/);
  assert.doesNotMatch(md, /## Failures/);
});
