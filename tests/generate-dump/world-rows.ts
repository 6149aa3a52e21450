/**
 * The rows a generated dump holds, table by table, taken straight from the generator's catalog
 * (the same tuples the dump writer writes), with a splitter for the tuples' values.
 */
import { catalog } from '../../scripts/generate-dump/catalog.ts';
import { World } from '../../scripts/generate-dump/world.ts';

export interface TableRows {
  columns: string[];
  /** Each row's tuple text, keyed by its first column (the primary key). */
  rows: Map<string, string>;
}

/** The planned world of one dump date and its tables (all of them, or the named ones). */
export async function worldRows(
  seed: number,
  scale: number,
  date: string,
  only?: string[],
): Promise<{ world: World; tables: Map<string, TableRows> }> {
  const world = new World(seed, scale, date).plan();
  const tables = new Map<string, TableRows>();
  for (const t of catalog(world)) {
    if (only && !only.includes(t.def.name)) continue;
    const rows = new Map<string, string>();
    await t.emit({
      rowText(tuple) {
        rows.set(values(tuple)[0]!, tuple);
        return true;
      },
      drain: async () => {},
    });
    if (rows.size !== t.rows) throw new Error(`${t.def.name}: ${rows.size} distinct keys for ${t.rows} rows`);
    tables.set(t.def.name, { columns: t.def.columns.map((c) => c.name), rows });
  }
  return { world, tables };
}

/** The SQL literals of a `(...)` tuple as mysqldump writes it (strings quoted, \-escaped). */
export function values(tuple: string): string[] {
  const out: string[] = [];
  let i = 1;
  const end = tuple.length - 1;
  while (i <= end) {
    let j = i;
    if (tuple[i] === "'") {
      j++;
      while (tuple[j] !== "'") j += tuple[j] === '\\' ? 2 : 1;
      j++;
    } else {
      while (j < end && tuple[j] !== ',') j++;
    }
    out.push(tuple.slice(i, j));
    i = j + 1;
  }
  return out;
}
