/**
 * Every error the database server (or the way to it) returns is an operational error: explained
 * in one line by its class, with what to do. Only errors that are not the database's (a
 * TypeError in our code) remain bugs. Codes: https://mariadb.com/kb/en/mariadb-error-code-reference/
 * and https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html
 */
import { PipelineError } from './errors.ts';

export type DbErrorClass =
  | 'unreachable'
  | 'access-denied'
  | 'missing-grant'
  | 'read-only'
  | 'unknown-database'
  | 'unknown-object'
  | 'lost-connection'
  | 'packet-too-big'
  | 'too-many-connections'
  | 'no-space'
  | 'out-of-memory'
  | 'lock'
  | 'interrupted'
  | 'local-infile'
  | 'server';

interface DriverError {
  code?: string;
  errno?: number;
  sqlState?: string;
  sqlMessage?: string;
  message?: string;
  fatal?: boolean;
}

const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const LOST_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'ER_CONNECTION_KILLED', 'PROTOCOL_SEQUENCE_TIMEOUT']);
/** By server error number. */
const CLASSES: Array<[DbErrorClass, number[]]> = [
  // 1045 wrong user or password, 1698 a user the server knows only without a password (unix_socket),
  // 1251/1524 an authentication plugin the client or server lacks, 1130 host not allowed, 1131/1133 no such user.
  ['access-denied', [1045, 1698, 1251, 1524, 1130, 1131, 1133, 1275, 1862, 3118]],
  // 1044 schema, 1142 table, 1143 column, 1227 privilege (SUPER, …), 1370 routine, 1449 definer, 1410 GRANT.
  ['missing-grant', [1044, 1142, 1143, 1227, 1370, 1449, 1410, 1419]],
  // 1290 --read-only (Aurora's reader endpoint), 1792 read-only transaction, 1836 read-only mode, 1015 locked table file.
  ['read-only', [1290, 1792, 1836, 1874]],
  ['unknown-database', [1049]],
  ['unknown-object', [1146, 1051, 1054, 1305, 1356, 4092]],
  ['lost-connection', [2006, 2013, 1927, 1053, 1158, 1159, 1160, 1161, 4031]],
  ['unreachable', [2002, 2003, 2005]],
  ['packet-too-big', [1153, 1301, 2020]],
  ['too-many-connections', [1040, 1203, 1226]],
  ['no-space', [1021, 1114, 1030, 3, 28]],
  ['out-of-memory', [1037, 1038, 1041, 1135]],
  ['lock', [1205, 1213, 1099, 1100]],
  ['interrupted', [1317, 1969, 3024, 1028]],
  // LOAD DATA LOCAL refused: local_infile off on the server (1148, MySQL 8: 3948) or the client (2068).
  ['local-infile', [1148, 3948, 2068]],
];
const BY_ERRNO = new Map<number, DbErrorClass>(CLASSES.flatMap(([c, ns]) => ns.map((n) => [n, c] as [number, DbErrorClass])));

/** True for an error from the database server or the driver's connection to it. */
export function isDbError(err: unknown): boolean {
  const e = err as DriverError;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.errno === 'number' && typeof e.sqlState === 'string') return true; // the server answered
  return (e.code !== undefined && (NETWORK.has(e.code) || LOST_CODES.has(e.code) || e.code.startsWith('ER_'))) || isClosedState(e);
}

function isClosedState(e: DriverError): boolean {
  return /connection is in closed state|Connection lost|Pool is closed/i.test(e.message ?? '');
}

/** True for a driver error meaning the connection is gone (killed, server restarted, network cut). */
export function isConnectionLost(err: unknown): boolean {
  const e = err as DriverError;
  return (e?.code !== undefined && LOST_CODES.has(e.code)) || e?.errno === 2013 || e?.errno === 1927 || e?.errno === 2006;
}

export function dbErrorClass(err: unknown): DbErrorClass {
  const e = err as DriverError;
  if (isConnectionLost(err) || isClosedState(e)) return 'lost-connection';
  if (e.code !== undefined && NETWORK.has(e.code)) return 'unreachable';
  if (typeof e.errno === 'number' && BY_ERRNO.has(e.errno)) return BY_ERRNO.get(e.errno)!;
  if (e.code === 'ER_ACCESS_DENIED_ERROR' || e.code === 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR') return 'access-denied';
  if (e.code?.endsWith('ACCESS_DENIED_ERROR')) return 'missing-grant';
  return 'server';
}

/** What happened and what to do, by class; `where` names the server (user@host:port) when known. */
function advice(c: DbErrorClass, where: string): [string, string] {
  const db = where ? `the database at ${where}` : 'the database';
  switch (c) {
    case 'unreachable':
      return [`cannot reach ${db}`, 'To fix this, start the server or set DATABASE_URL to one that answers.'];
    case 'access-denied':
      return [
        `${db} refused the user or password`,
        'To fix this, check the user and password in DATABASE_URL (a user the server knows only by socket authentication needs a password of its own), or the IAM setup with auth=iam.',
      ];
    case 'missing-grant':
      return [
        'the database user is not allowed to do this',
        'To fix this, grant the user rights on the schemas of this run (all start with the schema prefix), or run with a --schema-prefix it may write.',
      ];
    case 'read-only':
      return [
        `${db} is read-only (a replica, or Aurora's reader endpoint)`,
        'To fix this, point DATABASE_URL at the writer (cluster) endpoint.',
      ];
    case 'unknown-database':
      return ['a schema this needs does not exist', 'To fix this, check the schema names and --schema-prefix, or run the load first.'];
    case 'unknown-object':
      return [
        'a table, column or routine this needs does not exist',
        'To fix this, check that the layers below were built (run the load and the build again) and the names in the models.',
      ];
    case 'lost-connection':
      return [
        'lost the database connection',
        'Published data is unchanged unless the output above says it was published; the next run removes what this one left. To fix this, check that the server is up and run again.',
      ];
    case 'packet-too-big':
      return [
        "a statement is larger than the server's max_allowed_packet",
        'To fix this, raise max_allowed_packet on the server (SET GLOBAL max_allowed_packet = 1073741824, or the parameter group on RDS) and run again.',
      ];
    case 'too-many-connections':
      return [
        'the server has no connection left for this user',
        "To fix this, lower --threads or --load-threads, or raise max_connections (or the user's limit), then run again.",
      ];
    case 'no-space':
      return [
        'the server ran out of disk space (or a table hit its size limit)',
        "To fix this, free space on the server's data volume and run again.",
      ];
    case 'out-of-memory':
      return [
        'the server ran out of memory',
        'To fix this, lower --threads or --load-threads, or give the server more memory, then run again.',
      ];
    case 'lock':
      return [
        'the server gave up waiting for a lock another session holds',
        'To fix this, find what holds the lock (SHOW PROCESSLIST) and run again.',
      ];
    case 'interrupted':
      return [
        'the statement was interrupted (killed, or a server time limit)',
        "To fix this, check who killed it or the server's statement time limits, and run again.",
      ];
    case 'local-infile':
      return [
        'the server refuses LOAD DATA LOCAL INFILE',
        'To fix this, enable local_infile on the server (SET GLOBAL local_infile = 1, or the parameter group on RDS and Aurora).',
      ];
    default:
      return [
        'the database server refused a statement',
        "To fix this, act on the server's message; if the statement is the pipeline's own and looks wrong, report it with this message.",
      ];
  }
}

/**
 * Any database error as one line: what the server said (with its error number) and what to do.
 * Undefined for an error that is not the database's (then it is a bug, and stays one).
 */
export function explainDbFailure(err: unknown, where = ''): PipelineError | undefined {
  if (err instanceof PipelineError) return err;
  if (!isDbError(err)) return undefined;
  const e = err as DriverError;
  const c = dbErrorClass(err);
  const said = (e.sqlMessage ?? e.message ?? String(err)).split('\n')[0]!.trim();
  const id = typeof e.errno === 'number' ? `error ${e.errno}${e.code ? ` ${e.code}` : ''}` : (e.code ?? 'error');
  const [what, fix] = advice(c, where);
  const message = `${what} (${said}; ${id}). ${fix}`;
  return new PipelineError(message, { cause: err });
}
