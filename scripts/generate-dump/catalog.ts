/**
 * All 81 tables of the vendor database, in the order mysqldump writes them (by name, binary
 * order as SHOW TABLES returns them), each with its row count resolved for the world's scale.
 */
import { apartmentsTable, inquiriesTable, movingsTable, roomsTable, tenantsTable } from './core-tables.ts';
import { tableDef } from './ddl.ts';
import { accessLogsTable, operationLogsTable } from './log-tables.ts';
import { hash32, Rng } from './prng.ts';
import { emitSegments, segmentIndex, type TableSource } from './table-source.ts';
import { compileColumn, type RowContext } from './vendor-values.ts';
import { VENDOR_TABLES_A, type VendorTable } from './vendor-tables-a.ts';
import { VENDOR_TABLES_B } from './vendor-tables-b.ts';
import type { World } from './world.ts';
import { keyOf } from './prng.ts';

export const VENDOR_TABLES: Record<string, VendorTable> = { ...VENDOR_TABLES_A, ...VENDOR_TABLES_B };

/** Every table of the dump, sorted as mysqldump orders them. */
export function catalog(w: World): TableSource[] {
  const core: TableSource[] = [
    apartmentsTable(w),
    roomsTable(w),
    tenantsTable(w),
    movingsTable(w),
    inquiriesTable(w),
    accessLogsTable(w),
    operationLogsTable(w),
  ];
  const known = new Map<string, number>(core.map((t) => [t.def.name, t.def.name === 'tenants' ? w.tenants : t.rows]));
  const resolving = new Set<string>();
  const rowsOf = (name: string): number | undefined => {
    if (known.has(name)) return known.get(name);
    const spec = VENDOR_TABLES[name];
    if (!spec) return undefined;
    if (resolving.has(name)) throw new Error(`table sizes refer to each other in a cycle at '${name}'`);
    resolving.add(name);
    const [kind, a, b] = spec.n.split(':');
    let n: number;
    if (kind === 'empty') n = 0;
    else if (kind === 'fixed') n = Number(a);
    else if (kind === 'scale') n = Math.max(1, Math.round(Number(a) * w.scale));
    else if (kind === 'x') n = Math.max(1, Math.round(rowsOf(a!)! * Number(b)));
    else throw new Error(`table ${name}: unknown size '${spec.n}'`);
    known.set(name, n);
    return n;
  };
  const vendor = Object.keys(VENDOR_TABLES).map((name) => vendorTable(w, name, VENDOR_TABLES[name]!, rowsOf(name)!, rowsOf));
  return [...core, ...vendor].sort((x, y) => (x.def.name < y.def.name ? -1 : x.def.name > y.def.name ? 1 : 0));
}

/** Fixed-size tables are master data, created before the history starts. */
function vendorTable(w: World, name: string, spec: VendorTable, rows: number, rowsOf: (t: string) => number | undefined): TableSource {
  const def = tableDef(name, spec);
  const master = spec.n.startsWith('fixed');
  // Empty tables keep the AUTO_INCREMENT their deleted rows left behind, as the vendor's do.
  const autoIncrement = rows === 0 ? 1 + (keyOf(name) % 500) : rows + 1;
  // Compiled up front, so a wrong column declaration fails before anything is written.
  const fns = rows === 0 ? [] : def.columns.map((c) => compileColumn(c, (t) => (t === 'self' ? rows : rowsOf(t))));
  const table: TableSource = {
    def,
    rows,
    autoIncrement,
    emit: (sink) => emitSegments({ rows, segment: table.segment! }, sink),
    async segment(first, last, sink) {
      const x: RowContext = {
        rng: new Rng(hash32(w.seed, keyOf(name)), segmentIndex(first)),
        id: 0,
        day: 0,
        second: 0,
        cal: w.calendar,
        dumpDay: w.dumpDay,
      };
      const start = master ? w.startDay - 700 : w.startDay;
      const span = w.dumpDay - start;
      for (let id = first; id <= last; id++) {
        x.id = id;
        x.day = start + Math.floor(((id - 0.5) * span) / rows);
        x.second = x.rng.int(0, 86399);
        let tuple = '(';
        for (let i = 0; i < fns.length; i++) tuple += (i ? ',' : '') + fns[i]!(x);
        if (!sink.rowText(`${tuple})`)) await sink.drain();
      }
    },
  };
  return table;
}
