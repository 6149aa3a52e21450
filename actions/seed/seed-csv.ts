/**
 * Reading a seed CSV: a header row, comma or the configured delimiter, quoted fields (with
 * doubled quotes and line breaks inside), CRLF line ends and a UTF-8 byte-order mark. A row shorter
 * than the header is padded with empty values (NULL), as dbt does; a longer one is a problem naming
 * the file and line.
 * https://csv.js.org/parse/options/
 */
import { parse } from 'csv-parse/sync';
import type { Problem } from '../platform/errors.ts';

export interface SeedTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** The file line each row starts on (1-based), for problems. */
  readonly lines: readonly number[];
}

export function parseSeedCsv(bytes: Buffer | string, file: string, delimiter = ',', problems: Problem[]): SeedTable | undefined {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(bytes, { bom: true, delimiter, info: true, relax_column_count: true, skip_empty_lines: true }) as never;
  } catch (err) {
    const e = err as { message: string; lines?: number };
    problems.push({
      message: `cannot parse the CSV: ${e.message.replace(/ at line \d+$/, '')}. To fix this, close the quote or correct the row.`,
      location: { file, line: e.lines },
    });
    return undefined;
  }
  if (records.length === 0) {
    problems.push({
      message: 'the CSV is empty: a seed needs a header row. To fix this, add the column names on the first line.',
      location: { file, line: 1 },
    });
    return undefined;
  }
  const header = records[0]!.record.map((h) => h.trim());
  const before = problems.length;
  header.forEach((h, i) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(h)) {
      problems.push({
        message: `header column ${i + 1} '${h}' is not a valid column name (letters, digits, underscores). To fix this, rename it.`,
        location: { file, line: 1, column: i + 1 },
      });
    } else if (header.indexOf(h) !== i) {
      problems.push({
        message: `header column '${h}' appears twice. To fix this, rename one.`,
        location: { file, line: 1, column: i + 1 },
      });
    }
  });
  const rows: string[][] = [];
  const lines: number[] = [];
  // csv-parse counts a CRLF inside a quoted field as two lines; keep a running correction, and
  // report the line a record starts on.
  let extra = 0;
  for (const { record, info } of records.slice(1)) {
    extra += record.reduce((n, f) => n + (f.match(/\r\n/g)?.length ?? 0), 0);
    const breaks = record.reduce((n, f) => n + (f.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
    const line = info.lines - extra - breaks;
    // dbt (agate) fills a short row's missing values with NULL.
    while (record.length < header.length) record.push('');
    if (record.length !== header.length) {
      problems.push({
        message: `row has ${record.length} fields but the header has ${header.length} (${header.join(', ')}). To fix this, quote values that contain '${delimiter}' or correct the row.`,
        location: { file, line },
      });
      continue;
    }
    rows.push(record);
    lines.push(line);
  }
  return problems.length > before ? undefined : { header, rows, lines };
}
