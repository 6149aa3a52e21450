/**
 * INSERT batches rewritten as LOAD DATA LOCAL INFILE, fed from the statement's own bytes. A
 * mysqldump VALUES list is already in a format LOAD DATA reads, with the right options:
 * each row starts at `(` (what lies before it, `,` and newlines, is skipped) and ends at `)`, fields by `,`, strings enclosed in `'` with backslash escapes
 * (mysqldump's \0 \n \r \Z \\ \' are LOAD DATA's escapes), and an unquoted NULL is NULL when
 * fields are enclosed. https://dev.mysql.com/doc/refman/8.0/en/load-data.html
 * Only "plain" lists go this way (strings, numbers, NULL: see insert-values.ts); lists with hex
 * or bit literals, `_binary` introducers or double quotes stay INSERTs. The server parses
 * LOAD DATA input much faster than INSERT syntax; the row-count check after the load catches any
 * difference in how rows were read.
 */
import { quoteIdent } from '../platform/db.ts';

export interface LoadDataJob {
  /** The statement to run (latin1 text for the byte-preserving connection). */
  sql: string;
  /** The bytes the server reads as the "file". */
  data: Buffer;
}

const CHARSET = /^[A-Za-z0-9_]+$/;

export function loadDataFor(
  table: string,
  insert: Buffer,
  v: { columns?: string; first: number; last: number; ignore: boolean; replace: boolean },
  charset: string,
  fileName: string,
): LoadDataJob {
  // Every row from the first '(' to the last ')': LINES STARTING BY '(' TERMINATED BY ')'.
  const data = insert.subarray(v.first, v.last + 1);
  const cs = charset.replace(/^['"]|['"]$/g, '');
  const mode = v.replace ? ' REPLACE' : v.ignore ? ' IGNORE' : '';
  const sql =
    `LOAD DATA LOCAL INFILE '${fileName}'${mode} INTO TABLE ${quoteIdent(table)}` +
    (CHARSET.test(cs) ? ` CHARACTER SET ${cs}` : '') +
    ` FIELDS TERMINATED BY ',' ENCLOSED BY '\\'' ESCAPED BY '\\\\' LINES STARTING BY '(' TERMINATED BY ')'` +
    (v.columns ? ` ${v.columns}` : '');
  return { sql, data };
}
