/** Text for people: the status, and the plan or the report of a restore, a cutover and an abort. */
import { formatDuration } from '../platform/log.ts';
import type { AbortReport } from './abort.ts';
import type { CutoverReport } from './cutover.ts';
import type { IamChange } from './iam.ts';
import type { RestoreReport } from './restore.ts';
import type { StepResult } from './steps.ts';
import type { RollbackStatus } from './status.ts';

const iso = (d?: Date) => (d ? d.toISOString().replace('.000Z', 'Z') : 'unknown');

export function renderStatus(s: RollbackStatus): string {
  const lines = [
    `Cluster ${s.cluster} (${s.region})`,
    `  status:            ${s.status ?? 'unknown'}`,
    `  engine:            ${s.engine ?? 'unknown'} ${s.engineVersion ?? ''}`.trimEnd(),
    `  endpoint:          ${s.endpoint ?? 'unknown'}`,
    `  writer instance:   ${s.writer ?? 'none'}`,
    `  backup retention:  ${s.backupRetentionDays ?? '?'} days`,
    `  restore window:    ${iso(s.window.earliest)} .. ${iso(s.window.latest)} (UTC)`,
    '',
    `Restores waiting for a cutover (${s.pending.length}):`,
    ...(s.pending.length ? s.pending.map((p) => `  ${p.cluster}  to ${iso(p.time)}  ${p.status}`) : ['  none']),
    '',
    `Recent automated snapshots (${s.snapshots.length}):`,
    ...(s.snapshots.length
      ? s.snapshots.map((x) => `  ${iso(x.createdAt)}  ${x.id}  ${x.status ?? ''}${x.sizeGiB ? `  ${x.sizeGiB} GiB` : ''}`)
      : ['  none']),
    '',
    'Suggested restore points (UTC; just before each recent publish of the warehouse):',
  ];
  if (s.restorePoints.length === 0) lines.push(`  none: ${s.runsNote ?? 'no runs recorded'}`);
  for (const p of s.restorePoints) {
    const mark = p.inWindow ? '' : '   (outside the restore window)';
    lines.push(`  --to ${iso(p.time)}   ${p.label}${mark}`);
  }
  lines.push('', 'To restore: pipeline rollback restore --to ISO-TIME (a dry run; add --apply to do it), or --latest.');
  return `${lines.join('\n')}\n`;
}

/** A call's input as JSON, with tags and lists of names on one line each (the plan stays readable). */
function json(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v instanceof Date ? v.toISOString() : v), 2)
    .replace(/\{\n\s*"Key": ("[^"\n]*"),\n\s*"Value": ("[^"\n]*")\n\s*\}/g, '{ "Key": $1, "Value": $2 }')
    .replace(
      /\[\n((?:\s*"[^"\n]*",?\n)+)\s*\]/g,
      (_m, items: string) =>
        `[${items
          .trim()
          .split(/,?\n\s*/)
          .join(', ')}]`,
    )
    .split('\n')
    .map((l, i) => (i === 0 ? l : `       ${l}`))
    .join('\n');
}

function renderSteps(steps: StepResult[]): string[] {
  const mark = { done: 'ok    ', reused: 'reused', error: 'FAIL  ', stopped: 'STOP  ' } as const;
  return steps.map(
    (s) => `  ${mark[s.status]} ${s.name} (${formatDuration(s.durationSeconds * 1000)})${s.message ? `\n           ${s.message}` : ''}`,
  );
}

function renderIam(iam: IamChange | undefined): string[] {
  if (!iam) return [];
  return [
    '',
    `IAM: the restored cluster has a new resource id (${iam.newResourceId}; the source's was ${iam.oldResourceId}).`,
    `Every policy allowing rds-db:connect on ${iam.oldResource} (the ETL role, the BI tool's, the rollback role)`,
    'must allow it on the new id before IAM logins work on the restored data. The statement to add:',
    ...iam.statement.split('\n').map((l) => `  ${l}`),
    '(narrow /* to the database users the old statement named.)',
  ];
}

export function renderRestore(r: RestoreReport): string {
  const p = r.plan;
  const lines = [
    `Source:   ${p.sourceName} (${p.region}), ${p.source.Engine ?? ''} ${p.source.EngineVersion ?? ''}`.trimEnd(),
    `Window:   ${iso(p.source.EarliestRestorableTime)} .. ${iso(p.source.LatestRestorableTime)} (UTC)`,
    `Restore:  to ${iso(p.time)}${p.requested === 'latest' ? ' (--latest, resolved once and recorded in the tags)' : ''}${p.resumed ? ' — going on with the restore an earlier run made' : ''}`,
    `New:      cluster ${p.restoredCluster}; instances ${p.instances.map((i) => `${i.name} (${i.create.DBInstanceClass}, ${i.role})`).join(', ')}`,
    ...(p.endpoints.length
      ? [`Endpoints: ${p.endpoints.map((e) => e.identifier).join(', ')} (moved to the restored cluster at the cutover)`]
      : []),
    ...p.warnings.map((w) => `warning:  ${w}`),
  ];
  if (p.losses.length) {
    lines.push('', 'Cannot be carried to the restored cluster:');
    for (const l of p.losses) lines.push(`  ${l.key}: ${l.what}${r.refusedLosses.includes(l.key) ? '' : ' (accepted)'}`);
  }
  if (r.outcome === 'refused' || (!r.applied && r.refusedLosses.length)) {
    lines.push(
      '',
      `${r.applied ? 'Refused' : 'With --apply this would be refused'}: pass --accept-loss ${r.refusedLosses.join(',')} to restore without them.`,
    );
  }
  if (!r.applied) {
    let n = 0;
    const add = (t: string) => lines.push(`  ${++n}. ${t}`);
    lines.push('', 'Dry run: nothing was changed. With --apply this would (each step skipped when an earlier run did it):');
    add(`RestoreDBClusterToPointInTime ${json(p.restore)}`);
    add(`wait until ${p.restoredCluster} is available (AWS: minutes to hours, with the size of the cluster)`);
    add('ModifyDBCluster for any setting of the source the restored cluster does not have yet');
    for (const i of p.instances) add(`CreateDBInstance ${json(i.create)}`);
    add('wait until the instances are available (AWS: typically 10-20 minutes each group), ModifyDBInstance where a setting differs');
    add("compare every setting with the source's; print the endpoint and the IAM change");
    lines.push('', 'The source cluster is only read.');
    return `${lines.join('\n')}\n`;
  }
  if (r.outcome === 'refused') return `${lines.join('\n')}\n`;
  lines.push('', ...renderSteps(r.steps), '');
  if (r.differences.length) {
    lines.push('Settings that differ from the source:');
    for (const [k, s, v] of r.differences) lines.push(`  ${k}: source '${s}', restored '${v}'`);
    lines.push('');
  }
  if (r.outcome === 'success') {
    lines.push(`Restored: ${p.restoredCluster} holds the data of ${iso(p.time)}; every setting of ${p.sourceName} is carried over.`);
    lines.push(`Endpoint: ${r.endpoint ?? 'unknown'}`);
    if (r.readerEndpoint) lines.push(`Reader:   ${r.readerEndpoint}`);
    lines.push(`Check the data there, then: pipeline rollback cutover --apply (or: pipeline rollback abort --apply to remove it).`);
  } else if (r.outcome === 'incomplete') {
    lines.push('Not finished (out of time, nothing failed): run the same command again; it goes on from where this run stopped.');
  } else {
    lines.push(
      `The restore did not finish. The source ${p.sourceName} is unchanged. Run the same command again to go on, or 'pipeline rollback abort --apply' to remove what was made.`,
    );
  }
  lines.push(...renderIam(r.iam));
  return `${lines.join('\n')}\n`;
}

export function renderCutover(r: CutoverReport): string {
  const lines = [
    `Cutover:  ${r.restored} (restored to ${iso(r.time)}) takes the name ${r.source}; ${r.source} becomes ${r.oldName}`,
    ...(r.resumedFrom ? [`Resuming: ${r.resumedFrom}`] : []),
  ];
  if (!r.applied) {
    lines.push('', 'Dry run: nothing was changed. With --apply this would:', ...r.plannedSteps.map((s, i) => `  ${i + 1}. ${s}`));
    return `${lines.join('\n')}\n`;
  }
  lines.push('', ...renderSteps(r.steps), '');
  if (r.outcome === 'success') {
    lines.push(`Done: ${r.endpoint ?? r.source} serves the data of ${iso(r.time)}. The old cluster is ${r.oldName}.`);
    lines.push(
      `To undo the cutover: start ${r.oldName} if it was stopped, rename ${r.source} to another name, then ${r.oldName} back to ${r.source} (docs/operations.md, "Undoing a cutover").`,
    );
  } else if (r.undone) {
    lines.push(`The cutover failed and was undone: ${r.source} is the source again, serving what it served before.`);
  } else if (r.outcome === 'incomplete') {
    lines.push('Not finished (out of time, nothing failed): run the same command again; it goes on from where this run stopped.');
  } else {
    lines.push(`The cutover did not finish. Run 'pipeline rollback cutover --apply' again: it looks at the names and goes on.`);
  }
  if (r.scheduleNote) lines.push(`Schedule: ${r.scheduleNote}.`);
  lines.push(...renderIam(r.iam));
  return `${lines.join('\n')}\n`;
}

export function renderAbort(r: AbortReport): string {
  const lines = [`Abort:    restores of ${r.source} not cut over (the source itself is never touched)`];
  if (r.targets.length === 0) lines.push('', 'Nothing to remove: no restore of this cluster waits for a cutover.');
  for (const t of r.targets) lines.push(`  ${t.cluster} (restored to ${iso(t.time)}) with ${t.instances.join(', ') || 'no instances'}`);
  if (!r.applied) {
    if (r.targets.length)
      lines.push('', 'Dry run: nothing was changed. With --apply these instances, then clusters, are deleted (no final snapshot).');
    return `${lines.join('\n')}\n`;
  }
  lines.push('', ...renderSteps(r.steps));
  if (r.outcome === 'incomplete') lines.push('', 'Not finished (out of time): run the same command again.');
  return `${lines.join('\n')}\n`;
}
