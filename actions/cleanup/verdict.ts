/**
 * The verdict on a schema the pipeline does not use, from its evidence (pure): what it most
 * likely is, whether anything still uses it, and, when nothing speaks against it, the
 * `cleanup.legacy` entry to paste into pipeline.yml after review. Nothing here drops anything.
 */
import { stringify } from 'yaml';
import { shortOrigin, type Origin } from './origin.ts';

/** An object in another schema whose definition names the schema. */
export interface Reference {
  schema: string;
  name: string;
  type: 'view' | 'procedure' | 'function' | 'trigger' | 'event';
}

/** Rights a user holds on the schema (or on tables or columns of it). */
export interface Grant {
  grantee: string;
  privileges: string[];
  level: 'schema' | 'table' | 'column';
  /** The grant's schema pattern when it is not the name itself (`test\_%`). */
  pattern?: string;
}

/** Reads and writes since the server started, from performance_schema, when it is on. */
export interface Activity {
  performanceSchema: boolean;
  /** When the server started (its clock, UTC). */
  since: string;
  reads?: number;
  writes?: number;
}

export interface Verdict {
  /** The verdict line. */
  line: string;
  /** Nothing speaks against listing it as legacy. */
  safe: boolean;
  /** For an unknown schema that is safe: the pipeline.yml entry (name without the run's prefix). */
  legacy?: { name: string; reason: string };
}

export interface SchemaEvidence {
  /** Most telling first; empty when no name says what made it. */
  origins: Origin[];
  referencedBy: Reference[];
  grants: Grant[];
  /** Newest UPDATE_TIME (InnoDB forgets it at a restart) and CREATE_TIME of its tables. */
  lastUpdate?: string;
  lastCreate?: string;
  activity: Activity;
  /** Every table holds no row (exact counts, or estimates where `rowsExact` is false). */
  empty: boolean;
  rowsExact: boolean;
  /** Its own triggers, routines and events (cleanup refuses a schema that has any). */
  otherObjects: number;
  /** Base tables and views. */
  tables: number;
  views: number;
  verdict: Verdict;
}

/** A change this recent means someone may still be writing to it. */
export const RECENT_DAYS = 30;

export interface VerdictInput extends Omit<SchemaEvidence, 'verdict'> {
  schema: string;
  class: 'legacy' | 'unknown';
  /** The server's clock now, 'YYYY-MM-DD HH:MM:SS'. */
  now: string;
  /** A change within this many days speaks against dropping. Default {@link RECENT_DAYS}. */
  recentDays?: number;
  prefix: string;
}

const day = (t: string) => t.slice(0, 10);
const daysBetween = (a: string, b: string) => (Date.parse(`${day(b)}T00:00:00Z`) - Date.parse(`${day(a)}T00:00:00Z`)) / 86_400_000;

/** What uses the schema, in words; with `max`, at most that many objects and users are named. */
export function usedBy(e: Pick<SchemaEvidence, 'referencedBy' | 'grants'>, max = Number.POSITIVE_INFINITY): string[] {
  const some = (list: string[]) => (list.length > max ? [...list.slice(0, max), `${list.length - max} more`] : list);
  const refs = some(e.referencedBy.map((r) => `${r.type} ${r.schema}.${r.name}`));
  const privileges = (p: string[]) => (p.length > 4 ? `${p.slice(0, 3).join(', ')} and ${p.length - 3} more` : p.join(', '));
  const grants = some(
    e.grants.map(
      (g) =>
        `user ${g.grantee} (${privileges(g.privileges)} on ${g.pattern ? `\`${g.pattern}\`` : `its ${g.level === 'schema' ? 'schema' : `${g.level}s`}`})`,
    ),
  );
  return [...(refs.length ? [`named by ${refs.join(', ')}`] : []), ...(grants.length ? [`granted to ${grants.join(', ')}`] : [])];
}

export function decide(e: VerdictInput): Verdict {
  const against: string[] = [];
  const facts: string[] = [];
  const users = usedBy(e, 3);
  if (users.length) against.push(...users);
  else facts.push('nothing refers to it');
  const last = e.lastUpdate ?? e.lastCreate;
  const recent = e.recentDays ?? RECENT_DAYS;
  if (last && daysBetween(last, e.now) < recent)
    against.push(`${e.lastUpdate ? 'written' : 'created'} ${day(last)}, within the last ${recent} days`);
  else if (e.lastUpdate) facts.push(`last written ${day(e.lastUpdate)}`);
  else if (e.lastCreate) facts.push(`created ${day(e.lastCreate)}, no write known since the server started`);
  if (e.activity.performanceSchema) {
    if (e.activity.writes) against.push(`${e.activity.writes.toLocaleString('en-US')} row writes since the server started`);
    else if (e.activity.reads)
      facts.push(
        `${e.activity.reads.toLocaleString('en-US')} row reads since the server started (counts by earlier inventories among them)`,
      );
    else facts.push('neither read nor written since the server started');
  }
  if (e.empty)
    facts.push(e.tables === 0 ? 'it has no tables' : e.rowsExact ? 'every table is empty' : 'every table is empty by the estimates');
  if (e.views) facts.push(`it has ${e.views} ${e.views === 1 ? 'view' : 'views'}`);
  if (e.otherObjects) against.push(`it has ${e.otherObjects} triggers, routines or events of its own, which cleanup does not archive`);
  // Views are someone's definitions (a BI tool's, perhaps): a schema that holds some is not empty.
  const bare = e.empty && e.views === 0;
  const what = shortOrigin(e.origins[0], bare);
  const known = e.origins.length > 0 || bare;
  if (e.class === 'legacy') {
    const tail = against.length
      ? `listed in cleanup.legacy, but ${against.join('; ')}: check that before cleanup drops it`
      : 'listed in cleanup.legacy: cleanup may drop it';
    return { line: `${[what, ...facts].join('; ')}; ${tail}.`, safe: against.length === 0 };
  }
  if (against.length) return { line: `${[what, ...facts].join('; ')}; not safe to drop: ${against.join('; ')}.`, safe: false };
  if (!known) return { line: `${[what, ...facts].join('; ')}; needs a person: nothing tells what made it.`, safe: false };
  const reason = [what, ...facts].join('; ');
  const legacy = e.schema.startsWith(e.prefix) ? { name: e.schema.slice(e.prefix.length), reason } : undefined;
  return { line: `${reason}; safe to list as legacy.`, safe: true, legacy };
}

/** The `cleanup.legacy` entries as YAML to paste into pipeline.yml. */
export function legacyYaml(entries: Array<{ name: string; reason: string }>): string {
  return stringify({ cleanup: { legacy: Object.fromEntries(entries.map((e) => [e.name, e.reason])) } }, { lineWidth: 0 });
}
