/**
 * The untrusted-dump rules (DESIGN.md principle 2): every statement of the dump is classified
 * into what the loader may do with it. Only tables (and views, triggers and routines when asked)
 * in the target schema are created and filled; the dump's own `CREATE DATABASE`/`USE` are
 * redirected to the target; everything else is refused or skipped, with a reason for the report.
 *
 * The classifier also follows the dump's session settings (SET NAMES, sql_mode, time_zone, the
 * `@saved_…` save/restore dance) so each statement runs with the settings the dump meant for it,
 * and maps collations the server lacks (MySQL 8's utf8mb4_0900_ai_ci on MariaDB).
 */
import type { Statement } from './dump-splitter.ts';
import { checkValues, type ValuesCheck } from './insert-values.ts';
import { mapCollations, type CollationMapper } from './collations.ts';
import { nameDecoder } from './dump-charset.ts';
import { SessionSettings } from './session-settings.ts';
import {
  applyEdits,
  excerpt,
  isName,
  nameOf,
  readQualifiedName,
  resolveConditionals,
  tokenize,
  type QualifiedName,
  type ServerFlavor,
  type Token,
} from './sql-text.ts';

import type { RoutineType } from '../platform/shadow-swap.ts';

export type { RoutineType };

export type Action =
  | {
      kind: 'insert';
      /** The table's name, decoded (dump-charset.ts); `raw` is its bytes as the dump wrote them. */
      table: string;
      raw: string;
      /** -1 when the VALUES are not checked yet (deferValuesCheck): then see valuesAt. */
      rows: number;
      sql: Buffer;
      /** sql.length (parse-only reads this, not sql) */
      size: number;
      /** Column list and mode, for LOAD DATA. */
      head: { columns?: string; ignore: boolean; replace: boolean };
      /** Where the rows are, when they are plain (LOAD DATA reads them as they are). */
      values?: { first: number; last: number };
      valuesAt?: number;
    }
  | { kind: 'create-table'; table: string; raw: string; sql: string }
  | { kind: 'drop-table'; tables: string[]; raw: string[] }
  | { kind: 'alter-table'; table: string; sql: string }
  | { kind: 'view'; name: string; sql: string }
  | { kind: 'routine'; type: RoutineType; name: string; table?: string; sql: string }
  | { kind: 'session' }
  | { kind: 'skip'; reason: string; quiet?: boolean }
  | { kind: 'refuse'; reason: string };

export interface ClassifierOptions {
  flavor: ServerFlavor;
  withRoutines: boolean;
  collations: CollationMapper;
  /** Lower-case names of schemas other than the target: qualifiers that must not appear. */
  otherSchemas: ReadonlySet<string>;
  /**
   * Tables whose INSERTs are not checked now unless the splitter already did (the loader spools
   * them and checks them with `checkValues` only if it loads them): their rows are reported as -1.
   * Default: none.
   */
  deferValuesCheck?: (table: string) => boolean;
}

export { SESSION_VARS } from './session-settings.ts';
const ALLOWED_ENGINES = new Set(['INNODB', 'MYISAM', 'ARIA', 'MEMORY', 'HEAP']);
const SYSTEM_SCHEMAS = new Set(['mysql', 'information_schema', 'performance_schema', 'sys']);

export class StatementClassifier {
  /** The dump's own database (from its CREATE DATABASE / USE): names qualified with it are ours. */
  ownDb: string | undefined;
  /** Set after a refused `USE other`: statements are refused until the dump switches back. */
  private foreignDb: string | undefined;
  /** The session settings the dump made so far (see session-settings.ts). */
  readonly settings: SessionSettings;

  private readonly o: ClassifierOptions;
  constructor(o: ClassifierOptions) {
    this.o = o;
    this.settings = new SessionSettings((name) => o.collations.map(name));
  }

  /** Current values (SQL text) of the session variables the dump set. */
  get session(): Map<string, string> {
    return this.settings.values;
  }

  /** Bumped whenever `session` changes, so workers re-apply it. */
  get sessionVersion(): number {
    return this.settings.version;
  }

  /**
   * Raw dump text (bytes as latin1 characters) decoded in the character set the dump's client
   * set where the statement stands: every name leaves the classifier through here, once.
   */
  decode(raw: string): string {
    return nameDecoder(this.settings.values.get('character_set_client'))(raw);
  }

  classify(stmt: Statement): Action {
    const head = headOf(stmt, 24)
      .toString('latin1')
      .replace(/^[\s(]+/, '')
      .toUpperCase();
    if (/^(INSERT|REPLACE)\b/.test(head)) return this.guard(() => this.insert(stmt));
    const text = resolveConditionals(stmt.sql.toString('latin1'), this.o.flavor).trim();
    if (text === '') return { kind: 'skip', reason: 'empty after conditional comments', quiet: true };
    const tokens = tokenize(text);
    const first = tokens[0]?.value ?? '';
    if (this.foreignDb !== undefined && first !== 'USE' && first !== 'SET') {
      return { kind: 'refuse', reason: `runs in schema '${this.decode(this.foreignDb)}' (after a refused USE)` };
    }
    switch (first) {
      case 'SET':
        return this.set(text, tokens);
      case 'CREATE':
        return this.create(text, tokens);
      case 'DROP':
        return this.drop(text, tokens);
      case 'ALTER':
        return this.alter(text, tokens);
      case 'USE':
        return this.use(text, tokens);
      case 'LOCK':
      case 'UNLOCK':
        return { kind: 'skip', reason: 'table locks are not used by the parallel loader', quiet: true };
      case 'BEGIN':
      case 'COMMIT':
      case 'START':
        return { kind: 'skip', reason: 'transaction control', quiet: true };
      case 'INSERT':
      case 'REPLACE':
        return this.guard(() =>
          this.insert({ sql: Buffer.from(text, 'latin1'), offset: stmt.offset, line: stmt.line, terminated: stmt.terminated }),
        );
      default:
        return {
          kind: 'refuse',
          reason: `${first || 'this'} statements are not allowed in a dump (only tables and views in the target schema)`,
        };
    }
  }

  private guard(fn: () => Action): Action {
    if (this.foreignDb !== undefined)
      return { kind: 'refuse', reason: `writes to schema '${this.decode(this.foreignDb)}' (after a refused USE)` };
    return fn();
  }

  /** A schema qualifier is fine when absent or the dump's own database. */
  private foreign(schema: string | undefined): boolean {
    if (schema === undefined) return false;
    return this.ownDb === undefined || schema.toLowerCase() !== this.ownDb.toLowerCase();
  }

  private insert(stmt: Statement): Action {
    // The header (up to VALUES) is small; the body is checked over raw bytes (by the splitter
    // while splitting when it could, see dump-splitter.ts S_Values; else by checkValues here).
    // Most headers are short: look at 512 bytes first, at 4 KB and 64 KB only for long column lists.
    let headText = '';
    let end = -1;
    for (const n of [512, 4096, 64 * 1024]) {
      headText = headOf(stmt, n).toString('latin1');
      end = headerEnd(headText);
      if (headText.length < n || n === 64 * 1024) break;
      // A cut through a quoted name could expose a VALUES inside it: then look further.
      if (end >= 0 && !openQuoteBefore(headText, end)) break;
    }
    const tokens = tokenize(headText.slice(0, end < 0 ? headText.length : end));
    let i = 1;
    let ignore = false;
    const replace = tokens[0]?.value === 'REPLACE';
    while (['LOW_PRIORITY', 'DELAYED', 'HIGH_PRIORITY', 'IGNORE', 'INTO'].includes(tokens[i]?.value ?? ''))
      if (tokens[i++]!.value === 'IGNORE') ignore = true;
    const name = readQualifiedName(headText, tokens, i);
    if (!name) return { kind: 'refuse', reason: 'an INSERT without a table name' };
    const table = this.decode(name.name);
    if (this.foreign(name.schema)) return { kind: 'refuse', reason: `writes to another schema: ${this.decode(name.schema!)}.${table}` };
    i = name.next;
    const colStart = tokens[i]?.value === '(' ? tokens[i]!.start : -1;
    if (tokens[i]?.value === '(') {
      while (i < tokens.length && tokens[i]!.value !== ')') {
        const t = tokens[i]!;
        if (!(t.type === 'ident' || t.type === 'word' || t.value === ',' || t.value === '('))
          return { kind: 'refuse', reason: 'a column list that is not a list of names' };
        i++;
      }
      i++;
    }
    const columns = colStart >= 0 ? headText.slice(colStart, tokens[i - 1]!.end) : undefined;
    const kw = tokens[i];
    if (!kw || (kw.value !== 'VALUES' && kw.value !== 'VALUE'))
      return { kind: 'refuse', reason: `INSERT into ${table} without a VALUES list (INSERT … SELECT and SET forms are not allowed)` };
    const size = stmt.size ?? stmt.sql.length;
    const head = { columns, ignore, replace };
    // The splitter's one-pass check, when it followed the whole list (it costs nothing more).
    const fused = stmt.values !== undefined && stmt.values.at === kw.end ? stmt.values : undefined;
    if (!fused && this.o.deferValuesCheck?.(table))
      return { kind: 'insert', table, raw: name.name, rows: -1, sql: stmt.sql, size, head, valuesAt: kw.end };
    const check: ValuesCheck = fused ? { ok: true, ...fused } : checkValues(stmt.sql, kw.end);
    if (!check.ok) return { kind: 'refuse', reason: `INSERT into ${table}: ${check.reason} (at byte ${check.at} of the statement)` };
    if (name.schema !== undefined) {
      // Qualified with the dump's own database: drop the qualifier (workers run in the shadow schema).
      const sql = stmt.sql;
      const out = Buffer.concat([sql.subarray(0, name.start), sql.subarray(name.nameStart)]);
      const delta = out.length - sql.length;
      const values = check.plain ? { first: check.first + delta, last: check.last + delta } : undefined;
      return { kind: 'insert', table, raw: name.name, rows: check.rows, sql: out, size: out.length, head, values };
    }
    const values = check.plain ? { first: check.first, last: check.last } : undefined;
    // `sql` is read lazily: parse-only never joins a statement's pieces.
    return {
      kind: 'insert',
      table,
      raw: name.name,
      rows: check.rows,
      get sql() {
        return stmt.sql;
      },
      size,
      head,
      values,
    };
  }

  private set(text: string, tokens: Token[]): Action {
    const r = this.settings.apply(text, tokens);
    if (r.kind === 'refuse') return r;
    return r.kind === 'changed' ? { kind: 'session' } : { kind: 'skip', reason: r.reason, quiet: r.quiet };
  }

  private use(text: string, tokens: Token[]): Action {
    const t = tokens[1];
    if (!isName(t)) return { kind: 'refuse', reason: 'USE without a schema name' };
    const db = nameOf(text, t);
    if (this.ownDb === undefined) this.ownDb = db;
    if (db.toLowerCase() === this.ownDb.toLowerCase()) {
      this.foreignDb = undefined;
      // Not quiet: where the dump meant to write is worth a line in the report (a hostile dump's
      // first `USE mysql` is taken as its own database, and so only ever reaches the target).
      return { kind: 'skip', reason: `USE ${this.decode(db)} (the dump's own database) redirected to the target schema` };
    }
    this.foreignDb = db;
    return { kind: 'refuse', reason: `USE ${this.decode(db)}: the dump may only write to its own database` };
  }

  private create(text: string, tokens: Token[]): Action {
    let i = 1;
    if (tokens[i]?.value === 'OR' && tokens[i + 1]?.value === 'REPLACE') i += 2;
    // Clauses between CREATE and the object type: ALGORITHM=…, DEFINER=…, SQL SECURITY …
    const edits: Array<{ start: number; end: number; text: string }> = [];
    for (;;) {
      const t = tokens[i];
      if (t?.value === 'ALGORITHM' && tokens[i + 1]?.value === '=') i += 3;
      else if (t?.value === 'DEFINER') {
        const end = definerEnd(tokens, i);
        edits.push({ start: t.start, end: tokens[end - 1]!.end, text: '' });
        i = end;
      } else if (t?.value === 'SQL' && tokens[i + 1]?.value === 'SECURITY') i += 3;
      else if (t?.value === 'AGGREGATE') i++;
      else break;
    }
    const type = tokens[i]?.value ?? '';
    if (type === 'DATABASE' || type === 'SCHEMA') {
      let k = i + 1;
      if (tokens[k]?.value === 'IF') k += 3;
      const t = tokens[k];
      if (!isName(t)) return { kind: 'refuse', reason: 'CREATE DATABASE without a name' };
      const db = nameOf(text, t);
      if (this.ownDb === undefined || this.ownDb.toLowerCase() === db.toLowerCase()) {
        this.ownDb = db;
        return { kind: 'skip', reason: `CREATE DATABASE ${this.decode(db)} (the dump's own database) redirected to the target schema` };
      }
      return { kind: 'refuse', reason: `CREATE DATABASE ${this.decode(db)}: the dump may only create tables in its own database` };
    }
    if (type === 'TABLE') return this.createTable(text, tokens, i + 1, edits);
    if (type === 'TEMPORARY') return { kind: 'refuse', reason: 'CREATE TEMPORARY TABLE is not part of a dump' };
    if (type === 'VIEW') return this.createObject(text, tokens, i + 1, edits, 'VIEW');
    if (type === 'TRIGGER' || type === 'PROCEDURE' || type === 'FUNCTION' || type === 'EVENT') {
      if (!this.o.withRoutines) return { kind: 'skip', reason: `${type} skipped (load it with --with-routines)` };
      const name = this.decode(readQualifiedName(text, tokens, tokens[i + 1]?.value === 'IF' ? i + 4 : i + 1)?.name ?? '');
      // An event runs by itself, on the server's schedule, as its definer: never from a dump.
      if (type === 'EVENT')
        return { kind: 'refuse', reason: `EVENT ${name}: events run on their own schedule, so a dump may not create them` };
      if (type === 'FUNCTION' && tokens.some((t) => t.type === 'word' && t.value === 'SONAME'))
        return { kind: 'refuse', reason: `FUNCTION ${name} … SONAME: a server-wide function from a shared library (a UDF)` };
      const escapes = escapingStatement(tokens);
      if (escapes) return { kind: 'refuse', reason: `${type} ${name}: its body ${escapes}, which could act outside the target schema` };
      return this.createObject(text, tokens, i + 1, edits, type);
    }
    if (type === 'INDEX' || type === 'UNIQUE' || type === 'FULLTEXT' || type === 'SPATIAL') {
      const on = tokens.findIndex((t) => t.value === 'ON');
      const name = on > 0 ? readQualifiedName(text, tokens, on + 1) : undefined;
      if (!name) return { kind: 'refuse', reason: 'CREATE INDEX without a table' };
      if (this.foreign(name.schema)) return { kind: 'refuse', reason: `CREATE INDEX on another schema's table ${this.shown(name)}` };
      return {
        kind: 'alter-table',
        table: this.decode(name.name),
        sql: this.finish(applyEdits(text, [...edits, ...this.unqualify(name)])),
      };
    }
    return { kind: 'refuse', reason: `CREATE ${type} is not allowed in a dump (only tables and views in the target schema)` };
  }

  private createTable(text: string, tokens: Token[], i: number, edits: Array<{ start: number; end: number; text: string }>): Action {
    if (tokens[i]?.value === 'IF') i += 3;
    const name = readQualifiedName(text, tokens, i);
    if (!name) return { kind: 'refuse', reason: 'CREATE TABLE without a name' };
    if (this.foreign(name.schema)) return { kind: 'refuse', reason: `creates a table in another schema: ${this.shown(name)}` };
    const table = this.decode(name.name);
    edits.push(...this.unqualify(name));
    let depth = 0;
    for (let k = name.next; k < tokens.length; k++) {
      const t = tokens[k]!;
      if (t.value === '(') depth++;
      else if (t.value === ')') depth--;
      else if (t.type === 'word' && depth === 0) {
        if (t.value === 'SELECT' || t.value === 'LIKE' || t.value === 'AS')
          return { kind: 'refuse', reason: `CREATE TABLE ${table} … ${t.value} copies from other tables` };
        if (t.value === 'DIRECTORY' || t.value === 'UNION' || t.value === 'CONNECTION' || t.value === 'TABLESPACE')
          return { kind: 'refuse', reason: `CREATE TABLE ${table} with ${t.value} reaches outside the schema` };
        if (t.value === 'ENGINE' || t.value === 'TYPE') {
          const e = tokens[k + 1]?.value === '=' ? tokens[k + 2] : tokens[k + 1];
          const engine = e ? nameOf(text, e).toUpperCase() : '';
          if (!ALLOWED_ENGINES.has(engine))
            return { kind: 'refuse', reason: `CREATE TABLE ${table} with ENGINE=${engine} (allowed: InnoDB, MyISAM, Aria, MEMORY)` };
        }
      } else if (t.value === 'REFERENCES') {
        const ref = readQualifiedName(text, tokens, k + 1);
        if (ref && this.foreign(ref.schema))
          return { kind: 'refuse', reason: `CREATE TABLE ${table} references another schema's table ${this.shown(ref)}` };
        if (ref) edits.push(...this.unqualify(ref));
      }
    }
    return { kind: 'create-table', table, raw: name.name, sql: this.finish(applyEdits(text, edits)) };
  }

  /** Views, triggers and routines: DEFINER stripped, names unqualified, no other schema named. */
  private createObject(
    text: string,
    tokens: Token[],
    i: number,
    edits: Array<{ start: number; end: number; text: string }>,
    type: 'VIEW' | RoutineType,
  ): Action {
    if (tokens[i]?.value === 'IF') i += 3;
    const name = readQualifiedName(text, tokens, i);
    if (!name) return { kind: 'refuse', reason: `CREATE ${type} without a name` };
    if (this.foreign(name.schema))
      return { kind: 'refuse', reason: `creates a ${type.toLowerCase()} in another schema: ${this.shown(name)}` };
    const objectName = this.decode(name.name);
    edits.push(...this.unqualify(name));
    let table: string | undefined;
    for (let k = name.next; k < tokens.length; k++) {
      const t = tokens[k]!;
      if (t.type === 'word' && t.value === 'DEFINER' && tokens[k + 1]?.value === '=') {
        const end = definerEnd(tokens, k);
        edits.push({ start: t.start, end: tokens[end - 1]!.end, text: '' });
        k = end - 1;
        continue;
      }
      if (type === 'TRIGGER' && t.value === 'ON' && table === undefined) {
        const on = readQualifiedName(text, tokens, k + 1);
        if (on && this.foreign(on.schema))
          return { kind: 'refuse', reason: `trigger ${objectName} on another schema's table ${this.shown(on)}` };
        if (on) {
          edits.push(...this.unqualify(on));
          table = this.decode(on.name);
          k = on.next - 1;
          continue;
        }
      }
      // A dotted name whose first part is a schema: the dump's own (dropped) or another (refused).
      if (isName(t) && tokens[k + 1]?.value === '.' && isName(tokens[k + 2]) && tokens[k - 1]?.value !== '.') {
        const q = this.decode(nameOf(text, t));
        const lower = q.toLowerCase();
        const threePart = tokens[k + 3]?.value === '.' && isName(tokens[k + 4]);
        if (this.ownDb !== undefined && lower === this.decode(this.ownDb).toLowerCase()) {
          edits.push({ start: t.start, end: tokens[k + 1]!.end, text: '' });
        } else if (threePart || this.o.otherSchemas.has(lower) || SYSTEM_SCHEMAS.has(lower)) {
          return { kind: 'refuse', reason: `${type.toLowerCase()} ${objectName} names another schema: ${q}` };
        }
      }
    }
    const sql = this.finish(applyEdits(text, edits));
    if (type === 'VIEW') return { kind: 'view', name: objectName, sql };
    return { kind: 'routine', type, name: objectName, table, sql };
  }

  private drop(text: string, tokens: Token[]): Action {
    const type = tokens[1]?.value ?? '';
    let i = 2;
    if (tokens[i]?.value === 'IF') i += 2;
    if (type === 'TABLE' || type === 'VIEW') {
      const names: string[] = [];
      while (i < tokens.length) {
        const n = readQualifiedName(text, tokens, i);
        if (!n) break;
        if (this.foreign(n.schema)) return { kind: 'refuse', reason: `drops another schema's ${type.toLowerCase()} ${this.shown(n)}` };
        names.push(n.name);
        i = n.next;
        if (tokens[i]?.value !== ',') break;
        i++;
      }
      if (type === 'VIEW') return { kind: 'skip', reason: 'DROP VIEW: views are created fresh', quiet: true };
      return { kind: 'drop-table', tables: names.map((n) => this.decode(n)), raw: names };
    }
    if (['TRIGGER', 'PROCEDURE', 'FUNCTION', 'EVENT'].includes(type))
      return { kind: 'skip', reason: `DROP ${type}: routines are replaced at publish`, quiet: true };
    return { kind: 'refuse', reason: `DROP ${type} is not allowed in a dump` };
  }

  private alter(text: string, tokens: Token[]): Action {
    if (tokens[1]?.value !== 'TABLE') return { kind: 'refuse', reason: `ALTER ${tokens[1]?.value ?? ''} is not allowed in a dump` };
    const name = readQualifiedName(text, tokens, 2);
    if (!name) return { kind: 'refuse', reason: 'ALTER TABLE without a name' };
    if (this.foreign(name.schema)) return { kind: 'refuse', reason: `alters another schema's table ${this.shown(name)}` };
    const table = this.decode(name.name);
    const rest = tokens.slice(name.next).map((t) => t.value);
    if ((rest[0] === 'DISABLE' || rest[0] === 'ENABLE') && rest[1] === 'KEYS')
      return { kind: 'skip', reason: `${rest[0]} KEYS`, quiet: true };
    for (const bad of ['RENAME', 'DISCARD', 'IMPORT', 'ENGINE', 'DIRECTORY', 'UNION', 'CONNECTION', 'TABLESPACE', 'SELECT']) {
      if (rest.includes(bad)) return { kind: 'refuse', reason: `ALTER TABLE ${table} … ${bad} is not allowed in a dump` };
    }
    const edits = this.unqualify(name);
    for (let k = name.next; k < tokens.length; k++) {
      if (tokens[k]!.value !== 'REFERENCES') continue;
      const ref = readQualifiedName(text, tokens, k + 1);
      if (ref && this.foreign(ref.schema))
        return { kind: 'refuse', reason: `ALTER TABLE ${table} references another schema's table ${this.shown(ref)}` };
      if (ref) edits.push(...this.unqualify(ref));
    }
    return { kind: 'alter-table', table, sql: this.finish(applyEdits(text, edits)) };
  }

  /** Drops the qualifier of a name (the dump's own database): the name's own bytes stay as they are. */
  private unqualify(n: QualifiedName): Array<{ start: number; end: number; text: string }> {
    return n.schema === undefined ? [] : [{ start: n.start, end: n.nameStart, text: '' }];
  }

  /** A qualified name for a message, decoded. */
  private shown(n: QualifiedName): string {
    return n.schema === undefined ? this.decode(n.name) : `${this.decode(n.schema)}.${this.decode(n.name)}`;
  }

  /** Collation names the server lacks are mapped (and counted for the report). */
  private finish(sql: string): string {
    return mapCollations(sql, this.o.collations);
  }
}

/**
 * What a routine or trigger body may not do: dynamic SQL (its text is only known when it runs, so
 * no rule here can check it), and statements that act on the server, other users or files. Read
 * from the tokens, so words inside strings and quoted names do not count.
 */
const ESCAPES: Array<[string[], string]> = [
  [['PREPARE'], 'prepares dynamic SQL (PREPARE)'],
  [['EXECUTE'], 'executes dynamic SQL (EXECUTE)'],
  [['GRANT'], 'grants privileges (GRANT)'],
  [['REVOKE'], 'revokes privileges (REVOKE)'],
  [['CREATE', 'USER'], 'creates a user'],
  [['DROP', 'USER'], 'drops a user'],
  [['ALTER', 'USER'], 'alters a user'],
  [['RENAME', 'USER'], 'renames a user'],
  [['DROP', 'DATABASE'], 'drops a schema'],
  [['DROP', 'SCHEMA'], 'drops a schema'],
  [['CREATE', 'DATABASE'], 'creates a schema'],
  [['CREATE', 'SCHEMA'], 'creates a schema'],
  [['CREATE', 'EVENT'], 'creates an event'],
  [['ALTER', 'EVENT'], 'alters an event'],
  [['SET', 'GLOBAL'], 'changes a global setting (SET GLOBAL)'],
  [['SET', 'PERSIST'], 'changes a global setting (SET PERSIST)'],
  [['INTO', 'OUTFILE'], 'writes a file (INTO OUTFILE)'],
  [['INTO', 'DUMPFILE'], 'writes a file (INTO DUMPFILE)'],
  [['LOAD', 'DATA'], 'reads a file (LOAD DATA)'],
  [['LOAD', 'XML'], 'reads a file (LOAD XML)'],
  [['LOAD_FILE'], 'reads a file (LOAD_FILE)'],
  [['KILL'], 'kills sessions (KILL)'],
  [['SHUTDOWN'], 'shuts the server down'],
  [['INSTALL'], 'installs a plugin'],
  [['UNINSTALL'], 'uninstalls a plugin'],
  [['FLUSH'], 'flushes server state (FLUSH)'],
];

/** The reason a routine body may not be loaded, or undefined. */
function escapingStatement(tokens: Token[]): string | undefined {
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.type === 'var' && /^@@(global|persist)\./i.test(t.value)) return 'changes a global setting (@@GLOBAL)';
    if (t.type !== 'word') continue;
    for (const [words, what] of ESCAPES) {
      if (t.value !== words[0]) continue;
      if (words.every((w, j) => tokens[k + j]?.type === 'word' && tokens[k + j]!.value === w)) return what;
    }
  }
  return undefined;
}

/** Index just past `DEFINER = user@host` (user and host as names, strings or CURRENT_USER[()]). */
function definerEnd(tokens: Token[], i: number): number {
  let k = i + 2; // DEFINER =
  if (tokens[k]?.value === 'CURRENT_USER') {
    k++;
    if (tokens[k]?.value === '(' && tokens[k + 1]?.value === ')') k += 2;
    return k;
  }
  k++; // user
  if (tokens[k]?.type === 'var') return k + 1; // `user`@`host` tokenizes as ident + var
  if (tokens[k]?.value === '@') k += 2;
  return k;
}

/** End of an INSERT's header: the first VALUES/VALUE/SELECT/SET keyword outside quotes. */
/** True when text[0, end) holds a quote that is not closed before `end`. */
function openQuoteBefore(text: string, end: number): boolean {
  return /['"`]/.test(text.slice(0, end).replace(/(['"`])(?:\\.|(?!\1)[^\\])*\1/g, ''));
}

function headOf(stmt: Statement, n: number): Buffer {
  return stmt.head ? stmt.head(n) : stmt.sql.subarray(0, n);
}

function headerEnd(text: string): number {
  const m = /\bVALUES?\b|\bSELECT\b|\bSET\b/i.exec(text.replace(/(['"`])(?:\\.|(?!\1)[^\\])*\1/g, (s) => ' '.repeat(s.length)));
  return m ? m.index + m[0].length : -1;
}

export { excerpt };
