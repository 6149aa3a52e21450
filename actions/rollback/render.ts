/** Text for people: the status, the plan of a dry run, and the report of an applied restore. */
import type { RestorePlan } from './restore-plan.ts';
import type { RestoreReport } from './restore.ts';
import { formatUtcMinute, type RollbackStatus } from './status.ts';

const iso = (d?: Date) => (d ? d.toISOString().replace('.000Z', 'Z') : 'unknown');

export function renderStatus(s: RollbackStatus): string {
  const lines = [
    `Cluster ${s.cluster} (${s.region})`,
    `  status:            ${s.status ?? 'unknown'}`,
    `  engine:            ${s.engine ?? 'unknown'} ${s.engineVersion ?? ''}`.trimEnd(),
    `  endpoint:          ${s.endpoint ?? 'unknown'}`,
    `  writer instance:   ${s.writer ?? 'none'}`,
    `  backup retention:  ${s.backupRetentionDays ?? '?'} days`,
    `  restore window:    ${iso(s.window.earliest)} .. ${iso(s.window.latest)}`,
    '',
    `Recent automated snapshots (${s.snapshots.length}):`,
    ...(s.snapshots.length
      ? s.snapshots.map((x) => `  ${iso(x.createdAt)}  ${x.id}  ${x.status ?? ''}${x.sizeGiB ? `  ${x.sizeGiB} GiB` : ''}`)
      : ['  none']),
    '',
    "Suggested restore points (the pipeline's recent successful runs):",
  ];
  if (s.restorePoints.length === 0) lines.push(`  none: ${s.runsNote ?? 'no runs recorded'}`);
  for (const p of s.restorePoints) {
    const mark = p.inWindow ? '' : '   (outside the restore window)';
    lines.push(`  --to ${iso(p.time)}   ${p.label}${mark}`);
  }
  lines.push('', `To restore: pipeline rollback restore --to ISO-TIME (a dry run; add --apply to do it), or --latest.`);
  return lines.join('\n') + '\n';
}

function json(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v instanceof Date ? v.toISOString() : v), 2)
    .split('\n')
    .map((l, i) => (i === 0 ? l : `       ${l}`))
    .join('\n');
}

export function renderPlanSteps(plan: RestorePlan): string[] {
  const lines: string[] = [];
  let n = 0;
  const add = (text: string) => lines.push(`  ${++n}. ${text}`);
  add(`RestoreDBClusterToPointInTime ${json(plan.restore)}`);
  add(`wait until cluster ${plan.restoredCluster} is available (waitUntilDBClusterAvailable)`);
  add(`CreateDBInstance ${json(plan.createWriter)}`);
  add(`wait until instance ${plan.restoredWriter} is available (waitUntilDBInstanceAvailable)`);
  add(`print the endpoint of ${plan.restoredCluster}`);
  if (plan.cutover) {
    add(`check that ${plan.restoredCluster} is available (refuse the cutover otherwise)`);
    add(`ModifyDBCluster ${json(plan.cutover.renameSource)}, then wait until ${plan.cutover.oldName} is available`);
    add(`ModifyDBCluster ${json(plan.cutover.renameRestored)}, then wait until ${plan.source.cluster} is available`);
  }
  return lines;
}

function header(plan: RestorePlan): string[] {
  const to =
    plan.target.kind === 'time' ? iso(plan.target.time) : `the latest restorable time (now about ${iso(plan.source.window.latest)})`;
  return [
    `Source:   ${plan.source.cluster} (${plan.region}), ${plan.source.engine} ${plan.source.engineVersion ?? ''}, writer ${plan.source.writer}`.replace(
      /\s+,/,
      ',',
    ),
    `Window:   ${iso(plan.source.window.earliest)} .. ${iso(plan.source.window.latest)}`,
    `Restore:  to ${to}`,
    `New:      cluster ${plan.restoredCluster}, writer ${plan.restoredWriter}`,
    ...plan.warnings.map((w) => `warning:  ${w}`),
  ];
}

export function renderRestore(r: RestoreReport): string {
  const lines = header(r.plan);
  if (!r.applied) {
    lines.push('', 'Dry run: nothing was changed. With --apply this would:', ...renderPlanSteps(r.plan));
    lines.push('', 'The source cluster is never modified or deleted' + (r.plan.cutover ? ' (the cutover only renames it).' : '.'));
    return lines.join('\n') + '\n';
  }
  lines.push('');
  for (const s of r.steps) {
    const mark = s.status === 'success' ? 'ok   ' : s.status === 'error' ? 'FAIL ' : 'skip ';
    lines.push(`  ${mark} ${s.name}${s.status === 'error' && s.message ? `\n        ${s.message}` : ''}`);
  }
  lines.push('');
  if (r.status === 'success') {
    lines.push(
      `Restored: ${r.plan.cutover ? r.plan.source.cluster : r.plan.restoredCluster} holds the data of ` +
        `${r.plan.target.kind === 'time' ? iso(r.plan.target.time) : 'the latest restorable time'}.`,
    );
    lines.push(`Endpoint: ${r.endpoint ?? 'unknown'}`);
    if (r.readerEndpoint) lines.push(`Reader:   ${r.readerEndpoint}`);
    if (!r.plan.cutover)
      lines.push(`The BI tool still reads ${r.plan.source.cluster}; point it at the endpoint above, or run again with --cutover.`);
  } else {
    lines.push('The restore did not finish. What exists now:');
    lines.push(...r.leftovers.map((l) => `  - ${l}`));
  }
  if (r.cleanup.length) lines.push('', r.status === 'success' ? 'Later:' : 'To clean up:', ...r.cleanup.map((c) => `  ${c}`));
  return lines.join('\n') + '\n';
}

export { formatUtcMinute };
