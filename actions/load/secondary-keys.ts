/**
 * Secondary indexes after the data: a CREATE TABLE's plain `KEY`/`INDEX` definitions are taken out
 * and added back with one `ALTER TABLE … ADD KEY …, ADD KEY …` once the table's rows are in, so
 * InnoDB builds each index by sorting instead of maintaining it row by row.
 * https://dev.mysql.com/doc/refman/8.0/en/optimizing-innodb-bulk-data-loading.html
 * Tables with foreign keys keep their indexes (InnoDB would create its own index for a foreign key
 * whose index is missing, changing the table's shape); UNIQUE, FULLTEXT and SPATIAL keys stay too.
 */
import { tokenize } from './sql-text.ts';

export interface SplitKeys {
  /** The CREATE TABLE without the deferred keys. */
  create: string;
  /** The deferred key definitions, as written (`KEY \`by_x\` (\`x\`)`). */
  keys: string[];
}

export function splitSecondaryKeys(create: string): SplitKeys {
  const tokens = tokenize(create);
  const open = tokens.findIndex((t) => t.value === '(');
  if (open < 0 || tokens.some((t) => t.value === 'FOREIGN' || t.value === 'REFERENCES')) return { create, keys: [] };
  // The definitions: items between the table's parentheses, split at depth-1 commas.
  const items: Array<{ start: number; end: number; first: string }> = [];
  let depth = 0;
  let itemStart = -1;
  let first = '';
  let close = -1;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.value === '(') {
      depth++;
      if (depth === 1) {
        itemStart = tokens[i + 1]?.start ?? t.end;
        first = tokens[i + 1]?.value ?? '';
      }
    } else if (t.value === ')') {
      depth--;
      if (depth === 0) {
        items.push({ start: itemStart, end: t.start, first });
        close = i;
        break;
      }
    } else if (t.value === ',' && depth === 1) {
      items.push({ start: itemStart, end: t.start, first });
      itemStart = tokens[i + 1]?.start ?? t.end;
      first = tokens[i + 1]?.value ?? '';
    }
  }
  if (close < 0) return { create, keys: [] };
  const deferred = items.filter((it) => it.first === 'KEY' || it.first === 'INDEX');
  const kept = items.filter((it) => !deferred.includes(it));
  if (deferred.length === 0 || kept.length === 0) return { create, keys: [] };
  const body = kept.map((it) => create.slice(it.start, it.end).trim()).join(',\n  ');
  const head = create.slice(0, tokens[open]!.end);
  const tail = create.slice(tokens[close]!.start);
  return { create: `${head}\n  ${body}\n${tail}`, keys: deferred.map((it) => create.slice(it.start, it.end).trim()) };
}
