/**
 * All 81 tables of the vendor database, in the order mysqldump writes them (by name, binary
 * order as SHOW TABLES returns them), each with its row count resolved for the world's scale and
 * dump date.
 */
import { apartmentsTable, inquiriesTable, movingsTable, roomsTable, tenantsTable } from './core-tables.ts';
import { tableDef } from './ddl.ts';
import { accessLogsTable, operationLogsTable } from './log-tables.ts';
import { hash32, keyOf, Rng } from './prng.ts';
import { emitSegments, segmentIndex, type TableSource } from './table-source.ts';
import { countAt, EPOCH_DAY, HISTORY_START, linearDay, linearRowsAt } from './time-base.ts';
import { columnKind, compileColumn, type RowContext, type TableSizes } from './vendor-values.ts';
import { VENDOR_TABLES_A, type VendorTable } from './vendor-tables-a.ts';
import { VENDOR_TABLES_B } from './vendor-tables-b.ts';
import { INQUIRIES_PER_CONTRACT, type World } from './world.ts';

export const VENDOR_TABLES: Record<string, VendorTable> = { ...VENDOR_TABLES_A, ...VENDOR_TABLES_B };

/** Days before the history's start over which master data (fixed-size tables) was entered. */
const MASTER_DAYS = 700;

/**
 * How a vendor table grows: master data (`fixed:N`, or `x:` of master data) has its rows before
 * the history starts; every other table has `atEpoch` rows by the epoch, created evenly over the
 * history (time-base.ts linearDay), and grows at that rate after it.
 */
interface Growth {
  atEpoch: number;
  master: boolean;
}

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
  const coreOn: Record<string, (day: number) => number> = {
    apartments: (d) => w.apartmentsAt(d),
    rooms: (d) => w.roomsAt(d),
    tenants: (d) => w.tenantsAt(d),
    movings: (d) => countAt(w.arrivals, d),
    inquiries: (d) => countAt(w.inquiriesByDay, d),
  };
  const growth = new Map<string, Growth>(Object.entries(coreOn).map(([name, on]) => [name, { atEpoch: on(EPOCH_DAY), master: false }]));
  // Tables that scale with inquiries follow their nominal rate, not the one-a-day floor of tiny dumps.
  growth.set('inquiries', { atEpoch: Math.round(w.contractsAtEpoch * INQUIRIES_PER_CONTRACT), master: false });
  const resolving = new Set<string>();
  const growthOf = (name: string): Growth | undefined => {
    if (growth.has(name)) return growth.get(name);
    const spec = VENDOR_TABLES[name];
    if (!spec) return undefined;
    if (resolving.has(name)) throw new Error(`table sizes refer to each other in a cycle at '${name}'`);
    resolving.add(name);
    const [kind, a, b] = spec.n.split(':');
    let g: Growth;
    if (kind === 'empty') g = { atEpoch: 0, master: true };
    else if (kind === 'fixed') g = { atEpoch: Number(a), master: true };
    else if (kind === 'scale') g = { atEpoch: Math.max(1, Math.round(Number(a) * w.scale)), master: false };
    else if (kind === 'x') {
      const base = growthOf(a!)!;
      g = { atEpoch: Math.max(1, Math.round(base.atEpoch * Number(b))), master: base.master };
    } else throw new Error(`table ${name}: unknown size '${spec.n}'`);
    growth.set(name, g);
    return g;
  };
  const rowsOn = (name: string): ((day: number) => number) | undefined => {
    if (coreOn[name]) return coreOn[name];
    const g = growthOf(name);
    if (!g) return undefined;
    return g.master ? () => g.atEpoch : (day) => linearRowsAt(day, g.atEpoch);
  };
  const vendor = Object.keys(VENDOR_TABLES).map((name) => {
    const g = growthOf(name)!;
    const sizes: TableSizes = { rowsOn, atEpoch: (t) => (t === 'self' ? g.atEpoch : growthOf(t)?.atEpoch) };
    return vendorTable(w, name, VENDOR_TABLES[name]!, g, sizes);
  });
  return [...core, ...vendor].sort((x, y) => (x.def.name < y.def.name ? -1 : x.def.name > y.def.name ? 1 : 0));
}

function vendorTable(w: World, name: string, spec: VendorTable, g: Growth, sizes: TableSizes): TableSource {
  const def = tableDef(name, spec);
  const rows = g.master ? g.atEpoch : linearRowsAt(w.dumpDay, g.atEpoch);
  // Empty tables keep the AUTO_INCREMENT their deleted rows left behind, as the vendor's do.
  const autoIncrement = rows === 0 ? 1 + (keyOf(name) % 500) : rows + 1;
  // Compiled up front, so a wrong column declaration fails before anything is written.
  const fns = rows === 0 ? [] : def.columns.map((c) => compileColumn(c, sizes));
  // updated_at is computed after the other columns, so it follows the values written later (vendor-values.ts).
  const order = def.columns.map((_, i) => i);
  if (rows > 0) order.sort((i, j) => Number(columnKind(def.columns[i]!) === 'updated') - Number(columnKind(def.columns[j]!) === 'updated'));
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
        touched: 0,
      };
      const values: string[] = new Array(fns.length);
      for (let id = first; id <= last; id++) {
        x.id = id;
        x.day = g.master ? HISTORY_START - MASTER_DAYS + Math.floor(((id - 0.5) * MASTER_DAYS) / rows) : linearDay(id, g.atEpoch);
        x.second = x.rng.int(0, 86399);
        x.touched = x.day;
        for (let k = 0; k < order.length; k++) values[order[k]!] = fns[order[k]!]!(x);
        let tuple = '(';
        for (let i = 0; i < values.length; i++) tuple += (i ? ',' : '') + values[i]!;
        if (!sink.rowText(`${tuple})`)) await sink.drain();
      }
    },
  };
  return table;
}
