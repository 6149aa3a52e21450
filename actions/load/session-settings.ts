/**
 * The session settings a dump makes, followed statement by statement: SET NAMES, sql_mode,
 * time_zone, character sets, and the user variables mysqldump saves them in to restore them
 * (`SET @saved_cs_client = @@character_set_client` … `SET character_set_client = @saved_cs_client`).
 * The loader gives every statement the settings in force where it stood in the dump.
 */
import { nameOf, type Token } from './sql-text.ts';

/** Session variables a dump may set; unique and foreign-key checks are always off while loading. */
export const SESSION_VARS = [
  'character_set_client',
  'character_set_results',
  'character_set_connection',
  'collation_connection',
  'time_zone',
  'sql_mode',
  'sql_notes',
] as const;
const IGNORED_VARS = new Set([
  'unique_checks',
  'foreign_key_checks',
  'sql_quote_show_create',
  'autocommit',
  'names',
  'character_set_database',
  'sql_log_bin',
  'gtid_purged',
  'old_alter_table',
  'check_constraint_checks',
  'sql_safe_updates',
]);

export type SetOutcome = { kind: 'changed' } | { kind: 'skip'; reason: string; quiet?: boolean } | { kind: 'refuse'; reason: string };

export class SessionSettings {
  /** Current values (SQL text) of the session variables the dump set. */
  readonly values = new Map<string, string>();
  private readonly userVars = new Map<string, string | undefined>();
  /** Bumped whenever `values` changes, so connections re-apply them. */
  version = 0;

  private readonly mapCollation: (name: string) => string;
  constructor(mapCollation: (name: string) => string) {
    this.mapCollation = mapCollation;
  }

  /** One SET statement: 'changed', a skip reason, or a refusal. */
  apply(text: string, tokens: Token[]): SetOutcome {
    // Split the assignments at top-level commas.
    const parts: Token[][] = [];
    let cur: Token[] = [];
    let depth = 0;
    for (const t of tokens.slice(1)) {
      if (t.value === '(') depth++;
      if (t.value === ')') depth--;
      if (t.value === ',' && depth === 0) {
        parts.push(cur);
        cur = [];
      } else cur.push(t);
    }
    parts.push(cur);
    const skipped: string[] = [];
    let changed = false;
    for (const p of parts) {
      const r = this.assignment(text, p);
      if (r === 'changed') changed = true;
      else if (r.startsWith('refuse:')) return { kind: 'refuse', reason: r.slice(7) };
      else if (r !== 'ok') skipped.push(r);
    }
    if (changed) {
      this.version++;
      return { kind: 'changed' };
    }
    if (skipped.length) return { kind: 'skip', reason: skipped.join('; ') };
    return { kind: 'skip', reason: 'user variable', quiet: true };
  }

  /** One `x = value`: 'changed', 'ok' (user variable), 'refuse:…' or a skip reason. */
  private assignment(text: string, p: Token[]): string {
    let i = 0;
    let scope = 'SESSION';
    if (p[0]?.value === 'SESSION' || p[0]?.value === 'LOCAL' || p[0]?.value === 'GLOBAL' || p[0]?.value === 'PERSIST')
      scope = p[i++]!.value;
    const lhs = p[i];
    if (!lhs) return 'empty SET';
    let name: string;
    if (lhs.type === 'var') {
      const v = lhs.value;
      if (!v.startsWith('@@')) {
        // A user variable: remember what it holds (the dump saves settings to restore them).
        const value = this.value(text, p.slice(i + 2));
        this.userVars.set(v.toLowerCase(), value);
        return 'ok';
      }
      const m = /^@@(?:(global|session|local|persist)\.)?(.+)$/i.exec(v)!;
      if (m[1]) scope = m[1].toUpperCase();
      name = m[2]!.toLowerCase();
    } else if (lhs.value === 'NAMES' || (lhs.value === 'CHARACTER' && p[i + 1]?.value === 'SET') || lhs.value === 'CHARSET') {
      const vi = lhs.value === 'CHARACTER' ? i + 2 : i + 1;
      const cs = p[vi] ? nameOf(text, p[vi]!).replace(/^'|'$/g, '') : undefined;
      if (!cs || !/^\w+$/.test(cs)) return 'refuse:a SET NAMES without a character set name';
      const collate = p[vi + 1]?.value === 'COLLATE' && p[vi + 2] ? nameOf(text, p[vi + 2]!).replace(/^'|'$/g, '') : undefined;
      for (const v of ['character_set_client', 'character_set_results', 'character_set_connection', 'collation_connection'])
        this.values.delete(v);
      this.values.set('character_set_client', cs);
      this.values.set('character_set_results', cs);
      this.values.set('character_set_connection', cs);
      if (collate) this.values.set('collation_connection', this.mapCollation(collate));
      return 'changed';
    } else name = nameOf(text, lhs).toLowerCase();
    if (name === 'gtid_purged' || name === 'sql_log_bin')
      return `${name.toUpperCase()} is skipped (replication state is not the loader's business)`;
    if (scope === 'GLOBAL' || scope === 'PERSIST') return `refuse:SET ${scope} ${name} changes the server for everyone`;
    if (IGNORED_VARS.has(name)) return 'ok';
    if (!(SESSION_VARS as readonly string[]).includes(name)) return `SET ${name} is not a setting the loader follows`;
    const value = this.value(text, p.slice(i + 2));
    this.values.delete(name);
    if (value !== undefined) this.values.set(name, name === 'collation_connection' ? this.mapCollation(value) : value);
    return 'changed';
  }

  /** The SQL text of a simple value (a literal, @uservar or @@sysvar); undefined = the default. */
  private value(text: string, p: Token[]): string | undefined {
    if (p.length !== 1)
      return p.length === 0
        ? undefined
        : `'${p
            .map((t) => text.slice(t.start, t.end))
            .join(' ')
            .replace(/'/g, '')}'`;
    const t = p[0]!;
    if (t.type === 'var') {
      if (t.value.startsWith('@@')) return this.values.get(t.value.replace(/^@@(session\.|local\.)?/i, '').toLowerCase());
      return this.userVars.get(t.value.toLowerCase());
    }
    if (t.type === 'word' && t.value === 'DEFAULT') return undefined;
    return text.slice(t.start, t.end);
  }
}

/**
 * The SET statement that gives a load connection the dump's session settings where a statement
 * stood: what the dump set, utf8mb4 for the character sets it did not set, the server's default
 * for the rest.
 */
export function sessionSqlOf(session: ReadonlyMap<string, string>): string {
  const parts: string[] = [];
  for (const v of SESSION_VARS) {
    const value = session.get(v);
    if (value !== undefined) parts.push(`${v} = ${value}`);
    else if (v === 'character_set_client' || v === 'character_set_results' || v === 'character_set_connection')
      parts.push(`${v} = utf8mb4`);
    else if (v !== 'collation_connection') parts.push(`${v} = DEFAULT`);
  }
  return `SET SESSION ${parts.join(', ')}`;
}
