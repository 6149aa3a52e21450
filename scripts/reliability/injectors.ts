/**
 * The faults: kill -9 of the pipeline process at a kill point, and KILL CONNECTION of the
 * pipeline's database connections from another session while a chosen stage runs.
 * https://mariadb.com/kb/en/kill/
 */
import type { Db } from '../../actions/platform/db.ts';
import type { KillPoint } from './kill-points.ts';
import { stageAt, startPipeline, type PipelineExit, type StartOptions } from './pipeline-process.ts';

export interface InjectionOutcome {
  /** False when the run ended before the fault could be injected. */
  injected: boolean;
  /** Milliseconds after the start when the fault was injected. */
  atMs?: number;
  /** The stage the run was in when the fault hit, from its own output. */
  stage?: string;
  exit: PipelineExit;
  detail?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits for the `n`-th stderr line equal to `text` (n >= 1), or matching it when `text` is
 * written `/regex/`; false if the run ends first.
 */
function waitForNth(p: ReturnType<typeof startPipeline>, text: string, n: number, exited: () => boolean): Promise<boolean> {
  const re = /^\/(.*)\/$/.exec(text);
  const matches = re ? (t: string) => new RegExp(re[1]!).test(t) : (t: string) => t === text;
  return new Promise((resolve) => {
    const check = () => {
      const seen = p.lines.filter((l) => l.stream === 'stderr' && matches(l.text)).length;
      if (seen >= n) return resolve(true);
      if (exited()) return resolve(false);
      setTimeout(check, 2);
    };
    check();
  });
}

/** Starts the pipeline and kill -9s it at the kill point. */
export async function killAtPoint(args: string[], point: KillPoint, options: StartOptions = {}): Promise<InjectionOutcome> {
  const p = startPipeline(args, { ...options, env: { ...options.env, ...point.env } });
  let exited = false;
  void p.done.then(() => (exited = true));
  const reached = point.anchor === '' ? true : await waitForNth(p, point.anchor, point.occurrence, () => exited);
  if (reached && point.delayMs > 0) await sleep(point.delayMs);
  if (!reached || exited) return { injected: false, exit: await p.done, detail: 'the run ended before the kill point' };
  const atMs = Date.now() - p.startedAt;
  p.killHard();
  const exit = await p.done;
  return { injected: true, atMs, stage: stageAt(exit.lines, atMs), exit };
}

export interface ConnectionFilter {
  /** The database user the pipeline runs as (a dedicated one makes this exact). */
  user: string;
  /** Only connections whose current schema or statement mentions this prefix (when the user is shared). */
  prefix?: string;
}

export interface ServerConnection {
  id: number;
  db: string | null;
  command: string;
  info: string | null;
}

/** The pipeline's connections, seen from the server. */
export async function pipelineConnections(admin: Db, filter: ConnectionFilter): Promise<ServerConnection[]> {
  const rows = await admin.query<{ id: string | number; db: string | null; command: string; info: string | null }>(
    `SELECT ID AS id, DB AS db, COMMAND AS command, INFO AS info FROM information_schema.PROCESSLIST
      WHERE USER = ? AND ID <> CONNECTION_ID() AND COMMAND <> 'Daemon'`,
    [filter.user],
  );
  return rows
    .map((r) => ({ id: Number(r.id), db: r.db, command: r.command, info: r.info }))
    .filter((c) => !filter.prefix || c.db?.startsWith(filter.prefix) || (c.info ?? '').includes(filter.prefix));
}

/**
 * Starts the pipeline and, once `trigger` appears on its stderr (plus `delayMs`), kills every
 * connection it has open on the server; with `busyOnly`, only those running a statement.
 */
export async function killConnectionsAt(
  admin: Db,
  args: string[],
  trigger: RegExp,
  filter: ConnectionFilter,
  options: StartOptions & { delayMs?: number; busyOnly?: boolean } = {},
): Promise<InjectionOutcome & { killed: ServerConnection[] }> {
  const p = startPipeline(args, options);
  let exited = false;
  void p.done.then(() => (exited = true));
  const line = await p.waitForLine(trigger);
  if (line && options.delayMs) await sleep(options.delayMs);
  if (!line || exited) return { injected: false, killed: [], exit: await p.done, detail: `'${trigger.source}' never appeared` };
  // Poll briefly: right after a stage line, its connections may not have sent a statement yet.
  let targets: ServerConnection[] = [];
  for (let i = 0; i < 50 && !exited; i++) {
    const all = await pipelineConnections(admin, filter);
    targets = options.busyOnly ? all.filter((c) => c.command === 'Query' || c.command === 'Execute') : all;
    if (targets.length) break;
    await sleep(20);
  }
  const atMs = Date.now() - p.startedAt;
  const killed: ServerConnection[] = [];
  for (const c of targets) {
    try {
      await admin.exec(`KILL CONNECTION ${Number(c.id)}`);
      killed.push(c);
    } catch {
      // It ended between the look-up and the kill: nothing to kill.
    }
  }
  const exit = await p.done;
  return {
    injected: killed.length > 0,
    atMs,
    stage: stageAt(exit.lines, atMs),
    exit,
    killed,
    detail: killed.length ? undefined : 'no connection of the run was open',
  };
}
