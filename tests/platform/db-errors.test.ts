/**
 * Every error the database returns is explained by its class in one line with what to do; only
 * errors that are not the database's stay bugs. The error objects have mysql2's shape (errno,
 * code, sqlState, sqlMessage) with the server's own numbers and texts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dbErrorClass, explainDbFailure } from '../../actions/platform/db-errors.ts';

const server = (errno: number, code: string, sqlMessage: string) =>
  Object.assign(new Error(sqlMessage), { errno, code, sqlState: 'HY000', sqlMessage });

test('server errors are explained by class, each with what to do', () => {
  const cases: Array<[ReturnType<typeof server>, string, RegExp]> = [
    [
      server(1698, 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR', "Access denied for user 'x'@'localhost'"),
      'access-denied',
      /refused the user or password/,
    ],
    [
      server(1045, 'ER_ACCESS_DENIED_ERROR', "Access denied for user 'x'@'h' (using password: YES)"),
      'access-denied',
      /check the user and password/,
    ],
    [
      server(1290, 'ER_OPTION_PREVENTS_STATEMENT', 'The MariaDB server is running with the --read-only option'),
      'read-only',
      /writer \(cluster\) endpoint/,
    ],
    [
      server(1142, 'ER_TABLEACCESS_DENIED_ERROR', "CREATE command denied to user 'x' for table 't'"),
      'missing-grant',
      /grant the user rights/,
    ],
    [
      server(1044, 'ER_DBACCESS_DENIED_ERROR', "Access denied for user 'x'@'%' to database 'gold'"),
      'missing-grant',
      /grant the user rights/,
    ],
    [server(1049, 'ER_BAD_DB_ERROR', "Unknown database 'nope'"), 'unknown-database', /check the schema names/],
    [
      server(1153, 'ER_NET_PACKET_TOO_LARGE', "Got a packet bigger than 'max_allowed_packet' bytes"),
      'packet-too-big',
      /raise max_allowed_packet/,
    ],
    [server(1040, 'ER_CON_COUNT_ERROR', 'Too many connections'), 'too-many-connections', /lower --threads/],
    [server(1148, 'ER_NOT_ALLOWED_COMMAND', 'The used command is not allowed with this MariaDB version'), 'local-infile', /local_infile/],
    [server(1064, 'ER_PARSE_ERROR', 'You have an error in your SQL syntax'), 'server', /act on the server's message/],
  ];
  for (const [err, cls, advice] of cases) {
    assert.equal(dbErrorClass(err), cls, err.message);
    const e = explainDbFailure(err, 'u@h:3306');
    assert.ok(e, err.message);
    assert.match(e.message, advice);
    assert.match(e.message, new RegExp(`error ${err.errno} ${err.code}`));
    assert.match(e.message, /To fix this, /);
    assert.doesNotMatch(e.message, /\n|internal error/);
  }
});

test('a lost connection reads as one, and a bug stays a bug', () => {
  const lost = Object.assign(new Error('Connection lost: The server closed the connection.'), {
    code: 'PROTOCOL_CONNECTION_LOST',
    fatal: true,
  });
  assert.match(explainDbFailure(lost)!.message, /^lost the database connection \(Connection lost.*\)\. Published data is unchanged/);
  assert.equal(explainDbFailure(new TypeError('x is undefined')), undefined);
  assert.equal(explainDbFailure(Object.assign(new Error('ENOENT'), { code: 'ENOENT' })), undefined);
});
