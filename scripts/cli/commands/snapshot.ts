/**
 * `pipeline snapshot`: dbt's snapshot command — `build` of the selected snapshots only (every
 * snapshot when nothing is selected), with their tests; --publish as for build (the new versions
 * are built beside the published snapshot tables and swapped in with one RENAME).
 */
import type { CommandDef } from '../command.ts';
import { buildCommand } from './build.ts';

/** The selection of snapshots: each --select term restricted to snapshots, or every snapshot. */
export function snapshotSelection(select: string | undefined): string {
  const only = 'config.materialized:snapshot';
  if (select === undefined || select.trim() === '') return only;
  return select
    .trim()
    .split(/\s+/)
    .map((term) => `${term},${only}`)
    .join(' ');
}

export const snapshotCommand: CommandDef = {
  ...buildCommand,
  name: 'snapshot',
  description: `Builds only snapshots (snapshots/ blocks), in DAG order, with their tests. With
--publish the snapshot tables are built in shadow schemas and published in one RENAME only when
nothing failed, so a failed run leaves the history as it was. Exit 1 when anything failed.`,
  examples: ['pipeline snapshot', 'pipeline snapshot --select snap_rooms --publish'],
  run(ctx, o, positionals) {
    return buildCommand.run(ctx, { ...o, select: snapshotSelection(o.select as string | undefined) }, positionals);
  },
};
