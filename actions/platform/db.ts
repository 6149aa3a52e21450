/**
 * Database access: one pool over mysql2/promise, the session settings every connection gets, and
 * the one identifier-quoting helper that all generated SQL uses. The rest of the code depends on
 * the narrow `Db` interface, not on mysql2's types.
 */
import mysql from 'mysql2/promise';
import { PipelineError, UsageError } from './errors.ts';
import { registerSecret } from './secrets.ts';
import { iamDriverOptions } from './iam-auth.ts';
import { dbErrorClass, explainDbFailure } from './db-errors.ts';

export const DEFAULT_DATABASE_URL = 'mysql://root@127.0.0.1:3306';

export interface DbSettings {
  host: string;
  port: number;
  user: string;
  password?: string;
  /** The database named in the URL's path: the default schema of models, when given. */
  database?: string;
  /** TLS: required whenever the host is not local (see `parseDatabaseUrl`). */
  ssl?: 'required' | 'amazon-rds' | 'off';
  /** A socket path instead of host:port (`?socket=/path`). */
  socketPath?: string;
  /** `?auth=iam`: IAM database authentication, a signed token per connection instead of a password. */
  auth?: 'password' | 'iam';
  /** `?region=`: AWS region for IAM tokens (default: the SDK's, AWS_REGION). */
  region?: string;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLocalHost(host: string): boolean {
  return LOCAL_HOSTS.has(host) || host.startsWith('127.');
}

/** Parses DATABASE_URL (`mysql://user:pass@host:3306/db?ssl=amazon-rds`). Never echoes the password. */
export function parseDatabaseUrl(url: string): DbSettings {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(
      'DATABASE_URL is not a valid URL. To fix this, set it like mysql://user:password@host:3306 (the password URL-encoded).',
    );
  }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    throw new UsageError(`DATABASE_URL must start with mysql://, not ${u.protocol}//`);
  }
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  registerSecret(password);
  const host = u.hostname || '127.0.0.1';
  const sslParam = u.searchParams.get('ssl');
  let ssl: DbSettings['ssl'];
  if (sslParam === 'amazon-rds' || sslParam === 'required' || sslParam === 'off') ssl = sslParam;
  else if (sslParam) throw new UsageError(`DATABASE_URL ssl=${sslParam} is not known; use ssl=required, ssl=amazon-rds or ssl=off`);
  // Node's CA store does not hold the RDS CA: an RDS endpoint gets mysql2's 'Amazon RDS' profile.
  else ssl = isLocalHost(host) ? 'off' : RDS_HOST.test(host) ? 'amazon-rds' : 'required';
  if (ssl === 'off' && !isLocalHost(host)) {
    throw new UsageError(`TLS is required for the non-local host ${host}: remove ssl=off from DATABASE_URL`);
  }
  const authParam = u.searchParams.get('auth');
  if (authParam && authParam !== 'iam' && authParam !== 'password') {
    throw new UsageError(`DATABASE_URL auth=${authParam} is not known; use auth=iam (IAM database authentication) or auth=password`);
  }
  const auth = authParam === 'iam' ? 'iam' : undefined;
  if (auth === 'iam' && ssl === 'off') {
    throw new UsageError(
      'IAM authentication sends its token in clear text inside the connection, so it needs TLS: remove ssl=off from DATABASE_URL',
    );
  }
  if (auth === 'iam' && password) {
    throw new UsageError(
      'DATABASE_URL has both a password and auth=iam: remove one (IAM signs a token per connection instead of a password)',
    );
  }
  const port = u.port ? Number(u.port) : 3306;
  const database = u.pathname.replace(/^\//, '') || undefined;
  return {
    host,
    port,
    user: decodeURIComponent(u.username || 'root'),
    password,
    database: database ? decodeURIComponent(database) : undefined,
    ssl,
    socketPath: u.searchParams.get('socket') ?? undefined,
    ...(auth ? { auth, region: u.searchParams.get('region') ?? undefined } : {}),
  };
}

const RDS_HOST = /\.rds\.amazonaws\.com(\.cn)?$/i;

/** What to print about a connection: never the password. */
export function describeDb(s: DbSettings): string {
  return `${s.user}@${s.socketPath ?? `${s.host}:${s.port}`}`;
}

/** Quotes an identifier with backticks, doubling any backtick inside. The only way SQL names are built. */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new Error('empty identifier');
  if (name.includes('\0')) throw new Error('identifier contains a NUL byte');
  return '`' + name.replace(/`/g, '``') + '`';
}

/** `schema`.`table` */
export function qualified(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

/** A SQL string literal, for the few statements that cannot take parameters (DDL comments). */
export function quoteString(value: string): string {
  return "'" + value.replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/\0/g, '\\0') + "'";
}

export type Row = Record<string, unknown>;

export interface ExecResult {
  affectedRows: number;
  insertId?: number;
}

/** One connection: statements on it share a session (temporary tables, variables, locks). */
export interface DbSession {
  query<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(sql: string, params?: unknown[]): Promise<ExecResult>;
  /** The server's id of this connection (for KILL and GET_LOCK holders). */
  readonly threadId: number;
}

/** The subset of database access the pipeline needs. */
export interface Db {
  readonly settings: DbSettings;
  query<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(sql: string, params?: unknown[]): Promise<ExecResult>;
  /** Runs `fn` on one pooled connection, released afterwards. */
  withSession<T>(fn: (session: DbSession) => Promise<T>): Promise<T>;
  /** A connection outside the pool, for long-held state such as the run lock. */
  openSession(): Promise<DbSession & { close(): Promise<void> }>;
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** Pool size. Default 8. */
  connections?: number;
  /** Extra statements run on every new connection. */
  sessionSql?: string[];
  /** Options passed to mysql2 as they are (e.g. infileStreamFactory for LOAD DATA LOCAL). */
  driver?: Record<string, unknown>;
}

/**
 * Session settings every connection gets. utf8mb4 for Japanese text and emoji; UTC so DATETIME
 * values do not shift; MySQL 8.0's default sql_mode made explicit, so that models behave the
 * same on Aurora MySQL 3 and on MariaDB 10.11 (whose default differs).
 */
export const SESSION_SQL = [
  'SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci',
  "SET time_zone = '+00:00'",
  "SET SESSION sql_mode = 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'",
];

function driverOptions(s: DbSettings, extra: Record<string, unknown> = {}): mysql.ConnectionOptions {
  const ssl = s.ssl === 'amazon-rds' ? 'Amazon RDS' : s.ssl === 'required' ? { rejectUnauthorized: true } : undefined;
  return {
    host: s.host,
    port: s.port,
    user: s.user,
    password: s.password,
    socketPath: s.socketPath,
    ssl: ssl as mysql.ConnectionOptions['ssl'],
    charset: 'UTF8MB4_UNICODE_CI',
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    multipleStatements: false,
    connectTimeout: 10_000,
    ...(s.auth === 'iam' ? iamDriverOptions({ host: s.host, port: s.port, user: s.user, region: s.region }) : {}),
    ...extra,
  };
}

/** Turns a driver error at connect time into one line that says what failed and what to do. */
export function describeDbError(err: unknown, s: DbSettings): Error {
  const e = err as { code?: string; errno?: number };
  const where = describeDb(s);
  if (s.auth === 'iam' && dbErrorClass(err) === 'access-denied') {
    return new PipelineError(
      `the database at ${where} refused the IAM token. To fix this, check that the role allows rds-db:connect on this cluster's resource id and user, that IAM database authentication is enabled on the cluster, and that the user was created IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'.`,
      { cause: err },
    );
  }
  if (dbErrorClass(err) === 'unreachable')
    return new PipelineError(
      `cannot reach the database at ${where} (${e.code ?? e.errno}). To fix this, start the server or set DATABASE_URL to one that answers.`,
      { cause: err },
    );
  return explainDbFailure(err, where) ?? (err instanceof Error ? err : new Error(String(err)));
}

export { explainDbFailure, isConnectionLost } from './db-errors.ts';

function wrapSession(conn: mysql.Connection | mysql.PoolConnection): DbSession {
  return {
    threadId: conn.threadId,
    async query<T>(sql: string, params?: unknown[]) {
      const [rows] = await conn.query(sql, params);
      return rows as T[];
    },
    async exec(sql: string, params?: unknown[]) {
      const [res] = await conn.query(sql, params);
      const r = res as mysql.ResultSetHeader;
      return { affectedRows: r.affectedRows ?? 0, insertId: r.insertId };
    },
  };
}

export async function openDb(settings: DbSettings, options: OpenDbOptions = {}): Promise<Db> {
  const sessionSql = [...SESSION_SQL, ...(options.sessionSql ?? [])];
  const pool = mysql.createPool({
    ...driverOptions(settings, options.driver),
    connectionLimit: options.connections ?? 8,
    waitForConnections: true,
    enableKeepAlive: true,
  });
  // Every new pooled connection gets the session settings before its first use.
  pool.pool.on('connection', (conn) => {
    for (const sql of sessionSql) conn.query(sql);
  });
  const db: Db = {
    settings,
    async query<T>(sql: string, params?: unknown[]) {
      const [rows] = await pool.query(sql, params);
      return rows as T[];
    },
    async exec(sql: string, params?: unknown[]) {
      const [res] = await pool.query(sql, params);
      const r = res as mysql.ResultSetHeader;
      return { affectedRows: r.affectedRows ?? 0, insertId: r.insertId };
    },
    async withSession(fn) {
      const conn = await pool.getConnection();
      try {
        return await fn(wrapSession(conn));
      } finally {
        conn.release();
      }
    },
    async openSession() {
      const conn = await mysql.createConnection(driverOptions(settings, options.driver));
      for (const sql of sessionSql) await conn.query(sql);
      return Object.assign(wrapSession(conn), {
        close: async () => {
          await conn.end().catch(() => conn.destroy());
        },
      });
    },
    async close() {
      await pool.end();
    },
  };
  // Fail early with a clear message when the server does not answer.
  try {
    await db.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => {});
    throw describeDbError(err, settings);
  }
  return db;
}
