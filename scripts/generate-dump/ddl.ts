/**
 * Table definitions and their CREATE TABLE text exactly as `SHOW CREATE TABLE` prints it on
 * MySQL 8.0 or on MariaDB 10.11 (the two differ in integer display widths, default quoting,
 * column collations and CURRENT_TIMESTAMP spelling; see
 * https://dev.mysql.com/doc/refman/8.0/en/numeric-type-syntax.html and
 * https://mariadb.com/kb/en/show-create-table/).
 *
 * Columns are declared compactly: `'tenant_id int unsigned NN ~fk:tenants #入居者ID'` is name,
 * type, flags (NN not null, AI auto_increment, =default, ONUPD on update current_timestamp),
 * an optional value kind for the generator (`~...`) and the Japanese comment (`#...`).
 */
import type { DumpFlavor } from '../../actions/platform/dump-writer.ts';
import { quoteIdent } from '../../actions/platform/db.ts';

export interface ColumnDef {
  name: string;
  /** MySQL 8 spelling: 'int unsigned', 'varchar(50)', 'tinyint(1)', 'decimal(10,2)', 'timestamp'. */
  type: string;
  notNull: boolean;
  autoIncrement: boolean;
  /** Literal default text without quotes, or 'CURRENT_TIMESTAMP'; undefined for none. */
  default?: string;
  onUpdateNow: boolean;
  comment?: string;
  /** How the generic generator fills it (see vendor-values.ts); empty to infer from name and type. */
  kind: string;
}

export interface TableDef {
  name: string;
  comment: string;
  columns: ColumnDef[];
  primaryKey: string[];
  uniqueKeys: Array<[string, string[]]>;
  keys: Array<[string, string[]]>;
  foreignKeys: Array<[string, string[], string, string[]]>;
}

const FLAGS = /^(NN|AI|ONUPD|=.*|~.*|#.*)$/;

/** Parses one compact column declaration (see the file comment). */
export function column(spec: string): ColumnDef {
  const hash = spec.indexOf(' #');
  const comment = hash >= 0 ? spec.slice(hash + 2) : undefined;
  const tokens = (hash >= 0 ? spec.slice(0, hash) : spec).trim().split(/\s+/);
  const name = tokens.shift()!;
  const type: string[] = [];
  while (tokens.length && !FLAGS.test(tokens[0]!)) type.push(tokens.shift()!);
  const c: ColumnDef = { name, type: type.join(' '), notNull: false, autoIncrement: false, onUpdateNow: false, comment, kind: '' };
  for (const t of tokens) {
    if (t === 'NN') c.notNull = true;
    else if (t === 'AI') c.autoIncrement = c.notNull = true;
    else if (t === 'ONUPD') c.onUpdateNow = true;
    else if (t.startsWith('=')) c.default = t === '=CURRENT_TIMESTAMP' ? 'CURRENT_TIMESTAMP' : t.slice(1).replace(/_/g, ' ');
    else if (t.startsWith('~')) c.kind = t.slice(1);
  }
  if (!c.type) throw new Error(`column '${spec}' has no type`);
  return c;
}

export interface TableSpec {
  comment: string;
  columns: string[];
  /** Default ['id']. */
  primaryKey?: string[];
  unique?: Record<string, string[]>;
  keys?: Record<string, string[]>;
  /** name -> [columns, referenced table, referenced columns] */
  foreign?: Record<string, [string[], string, string[]]>;
}

export function tableDef(name: string, spec: TableSpec): TableDef {
  return {
    name,
    comment: spec.comment,
    columns: spec.columns.map(column),
    primaryKey: spec.primaryKey ?? ['id'],
    uniqueKeys: Object.entries(spec.unique ?? {}),
    keys: Object.entries(spec.keys ?? {}),
    foreignKeys: Object.entries(spec.foreign ?? {}).map(([n, [cols, t, refs]]) => [n, cols, t, refs]),
  };
}

const MARIADB_WIDTHS: Record<string, string> = {
  tinyint: 'tinyint(4)',
  'tinyint unsigned': 'tinyint(3) unsigned',
  smallint: 'smallint(6)',
  'smallint unsigned': 'smallint(5) unsigned',
  mediumint: 'mediumint(9)',
  'mediumint unsigned': 'mediumint(8) unsigned',
  int: 'int(11)',
  'int unsigned': 'int(10) unsigned',
  bigint: 'bigint(20)',
  'bigint unsigned': 'bigint(20) unsigned',
};

const isText = (type: string) => /^(varchar|char|text|mediumtext|longtext|tinytext|enum)\b/.test(type);
const isBlobLike = (type: string) => /^(text|mediumtext|longtext|tinytext|blob|mediumblob|longblob|json)\b/.test(type);
const isNumeric = (type: string) => /^(tinyint|smallint|mediumint|int|bigint|decimal|double|float)\b/.test(type);

function sqlComment(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

function renderDefault(c: ColumnDef, flavor: DumpFlavor): string {
  if (c.autoIncrement) return '';
  if (c.default === 'CURRENT_TIMESTAMP') return flavor === 'mariadb' ? ' DEFAULT current_timestamp()' : ' DEFAULT CURRENT_TIMESTAMP';
  if (c.default !== undefined) {
    if (c.default === 'NULL') return ' DEFAULT NULL';
    // MariaDB prints numeric defaults bare; MySQL 8 quotes every literal default.
    return flavor === 'mariadb' && isNumeric(c.type) ? ` DEFAULT ${c.default}` : ` DEFAULT '${c.default}'`;
  }
  if (c.notNull) return '';
  // MySQL 8 omits DEFAULT NULL on TEXT/BLOB columns; MariaDB prints it.
  if (isBlobLike(c.type) && flavor === 'mysql8') return '';
  return ' DEFAULT NULL';
}

function renderColumn(c: ColumnDef, flavor: DumpFlavor): string {
  let type = flavor === 'mariadb' ? (MARIADB_WIDTHS[c.type] ?? c.type) : c.type;
  // MySQL 8 names the column collation when it is not utf8mb4's default (utf8mb4_0900_ai_ci).
  if (flavor === 'mysql8' && isText(c.type)) type += ' COLLATE utf8mb4_unicode_ci';
  let s = `  ${quoteIdent(c.name)} ${type}`;
  if (c.notNull) s += ' NOT NULL';
  else if (c.type === 'timestamp') s += ' NULL';
  s += renderDefault(c, flavor);
  if (c.onUpdateNow) s += flavor === 'mariadb' ? ' ON UPDATE current_timestamp()' : ' ON UPDATE CURRENT_TIMESTAMP';
  if (c.autoIncrement) s += ' AUTO_INCREMENT';
  if (c.comment) s += ` COMMENT ${sqlComment(c.comment)}`;
  return s;
}

const cols = (names: string[]) => names.map(quoteIdent).join(',');

/**
 * `CREATE TABLE` text as the server shows it, without the final ';'. `autoIncrement` is the
 * table's next id (printed only when above 1 and the table has an AUTO_INCREMENT column).
 */
export function renderCreateTable(t: TableDef, flavor: DumpFlavor, autoIncrement: number): string {
  const lines = t.columns.map((c) => renderColumn(c, flavor));
  if (t.primaryKey.length) lines.push(`  PRIMARY KEY (${cols(t.primaryKey)})`);
  for (const [n, c] of t.uniqueKeys) lines.push(`  UNIQUE KEY ${quoteIdent(n)} (${cols(c)})`);
  for (const [n, c] of t.keys) lines.push(`  KEY ${quoteIdent(n)} (${cols(c)})`);
  for (const [n, c, ref, refCols] of t.foreignKeys) {
    lines.push(`  CONSTRAINT ${quoteIdent(n)} FOREIGN KEY (${cols(c)}) REFERENCES ${quoteIdent(ref)} (${cols(refCols)})`);
  }
  const hasAuto = t.columns.some((c) => c.autoIncrement);
  const ai = hasAuto && autoIncrement > 1 ? ` AUTO_INCREMENT=${autoIncrement}` : '';
  return (
    `CREATE TABLE ${quoteIdent(t.name)} (\n${lines.join(',\n')}\n) ENGINE=InnoDB${ai} ` +
    `DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT=${sqlComment(t.comment)}`
  );
}
