/**
 * Bad input and failures: a truncated, garbage, badly gzipped or missing dump, a statement the
 * server rejects, a lost connection, a killed process, a malicious dump. Each ends in a clear
 * error (table, line, byte offset) and leaves the published schema exactly as it was (checked
 * with CHECKSUM TABLE); the next run succeeds without manual clean-up.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { quoteIdent, type Db } from '../../actions/platform/db.ts';
import { PipelineError } from '../../actions/platform/errors.ts';
import { resolveDumpSource } from '../../actions/load/dump-source.ts';
import { spawn } from 'node:child_process';
import { PIPELINE, ROOT, runPipeline } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, schemasWithPrefix, testPrefix } from '../helpers/db.ts';
import { checksums, loadFile, makeDump } from './helpers.ts';

const prefix = testPrefix('loadfault');
const meta = `${prefix}pipeline_meta`;
const target = `${prefix}staging`;
const victim = `${prefix}victim`;
let db: Db;
let dir: string;
let published: Record<string, string>;

before(async () => {
  db = await openTestDb();
  dir = mkdtempSync(join(tmpdir(), 'load-fault-'));
  writeFileSync(join(dir, 'good.sql'), makeDump({ tables: ['tenants', 'rooms'], rows: 1200 }));
  await loadFile(db, join(dir, 'good.sql'), target, { metaSchema: meta });
  published = await checksums(db, target);
  assert.deepEqual(Object.keys(published), ['rooms', 'tenants']);
  await db.exec(`CREATE DATABASE ${quoteIdent(victim)}`);
  await db.exec(`CREATE TABLE ${quoteIdent(victim)}.t (id INT PRIMARY KEY, v VARCHAR(20))`);
  await db.exec(`INSERT INTO ${quoteIdent(victim)}.t VALUES (1, 'keep me')`);
});

after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function assertUnchanged(): Promise<void> {
  assert.deepEqual(await checksums(db, target), published, 'the published schema is unchanged');
  const left = await schemasWithPrefix(db, `${target}__`);
  assert.deepEqual(left, [], 'no shadow or old schema left behind');
}

async function loadFails(file: string, pattern: RegExp): Promise<PipelineError> {
  const err = await loadFile(db, file, target, { metaSchema: meta }).then(
    () => assert.fail('the load should fail'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof PipelineError, String(err));
  assert.match(err.message, pattern);
  return err;
}

test('a truncated dump is refused, naming where it stops, and the published schema is unchanged', async () => {
  const full = makeDump({ tables: ['tenants', 'rooms'], rows: 1200, tag: 'v2' });
  const file = join(dir, 'truncated.sql');
  writeFileSync(file, full.subarray(0, Math.floor(full.length * 0.6)));
  const err = await loadFails(file, /truncated or not a complete mysqldump/);
  assert.match(err.message, /line \d+ \(byte offset \d+\)/);
  await assertUnchanged();
});

test("a dump cut while its table's LOAD DATA already reads its rows is refused, nothing left waiting", async () => {
  // Six batches of 500 rows: the LOAD DATA starts at the second and is fed on; the cut ends it.
  const full = makeDump({ tables: ['tenants'], rows: 3000, tag: 'v3' });
  const file = join(dir, 'cut-while-loading.sql');
  writeFileSync(file, full.subarray(0, Math.floor(full.length * 0.75)));
  await loadFails(file, /truncated or not a complete mysqldump/);
  await assertUnchanged();
});

test('a dump cut exactly after a statement (no trailer) is refused too', async () => {
  const file = join(dir, 'notrailer.sql');
  writeFileSync(file, makeDump({ tables: ['tenants'], rows: 10, trailer: false }));
  await loadFails(file, /does not end with the '-- Dump completed' trailer/);
  await assertUnchanged();
});

test('garbage is refused', async () => {
  const file = join(dir, 'garbage.sql');
  writeFileSync(file, Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 251)));
  await loadFails(file, /truncated or not a complete mysqldump/);
  await assertUnchanged();
});

test('a gzip dump is recognised by its bytes; a corrupt one is refused with the offset', async () => {
  const gz = gzipSync(makeDump({ tables: ['tenants', 'rooms'], rows: 1200 }));
  const ok = join(dir, 'named-plain.sql');
  writeFileSync(ok, gz);
  const r = await loadFile(db, ok, `${prefix}gz`, { metaSchema: meta });
  assert.equal(r.tables.find((t) => t.table === 'tenants')!.rows, 1200);
  const bad = Buffer.from(gz);
  for (let i = 2000; i < 2100; i++) bad[i] = bad[i]! ^ 0x5a;
  const file = join(dir, 'bad.sql.gz');
  writeFileSync(file, bad);
  await loadFails(file, /not a valid gzip stream .* near compressed byte \d+/);
  await assertUnchanged();
});

test('a missing file is a clear error', async () => {
  await assert.rejects(resolveDumpSource(join(dir, 'nope.sql')), /the dump file .*nope\.sql does not exist/);
});

test('a statement the server rejects names the table, line and byte offset', async () => {
  const extra = 'CREATE TABLE `broken` (`id` int NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB;\nINSERT INTO `broken` VALUES (1),(1);\n';
  const file = join(dir, 'rejected.sql');
  writeFileSync(file, makeDump({ tables: ['tenants'], rows: 100, extra }));
  const err = await loadFails(
    file,
    /rejected the INSERT of table broken at line \d+, byte offset \d+: (Duplicate entry|Got error 1 .* during COMMIT)/,
  );
  assert.match(err.message, /The published schema is unchanged/);
  await assertUnchanged();
});

test('rows merged by duplicate keys (INSERT IGNORE, REPLACE) fail the row check, as LOAD DATA and as INSERT', async () => {
  // (MariaDB's bulk insert with unique checks off even reports them all as inserted: hence a count.)
  // 30 rows go as LOAD DATA, 3 as an INSERT (see submitInsert); every id appears more than once.
  for (const [mode, rows] of [
    ['INSERT IGNORE', 30],
    ['REPLACE', 30],
    ['INSERT IGNORE', 3],
  ] as const) {
    const values = Array.from({ length: rows }, (_, k) => `(${k % (rows === 3 ? 2 : 10)},'v${k}')`).join(',');
    const extra = `CREATE TABLE \`merged\` (\`id\` int NOT NULL, \`v\` varchar(10), PRIMARY KEY (\`id\`)) ENGINE=InnoDB;\n${mode} INTO \`merged\` VALUES ${values};\n`;
    const file = join(dir, 'merged.sql');
    writeFileSync(file, makeDump({ tables: ['tenants'], rows: 100, extra }));
    await loadFails(file, new RegExp(`table merged: the server holds \\d+ rows but the dump gave ${rows} .*merged or lost`));
    await assertUnchanged();
  }
});

test('a malicious dump touches nothing outside its target and says what it refused', async () => {
  // Accounts of other test files (named t_…) come and go while this one runs: they are not counted.
  const [{ users }] = await db.query<{ users: number }>("SELECT COUNT(*) AS users FROM mysql.global_priv WHERE User NOT LIKE 't\\_%'");
  const before = await checksums(db, victim);
  const attack = [
    `DROP DATABASE \`${victim}\`;`,
    `DROP SCHEMA IF EXISTS \`${target}\`;`,
    "GRANT ALL PRIVILEGES ON *.* TO 'evil'@'%' IDENTIFIED BY 'x';",
    "CREATE USER 'evil2'@'%' IDENTIFIED BY 'x';",
    'SET GLOBAL max_connections = 1;',
    `INSERT INTO \`${victim}\`.\`t\` VALUES (2, 'pwned');`,
    `CREATE TABLE \`${victim}\`.\`t2\` (id int);`,
    `DROP TABLE \`${victim}\`.\`t\`;`,
    `ALTER TABLE \`tenants\` RENAME TO \`${victim}\`.\`stolen\`;`,
    "INSERT INTO `tenants` VALUES ((SELECT 99 FROM mysql.user LIMIT 1),'x',NULL,NULL);",
    'INSERT INTO `tenants` SELECT * FROM `' + victim + '`.`t`;',
    "LOAD DATA INFILE '/etc/passwd' INTO TABLE `tenants`;",
    "SELECT * FROM `tenants` INTO OUTFILE '/tmp/out.txt';",
    'CREATE TABLE `fed` (id int) ENGINE=CONNECT;',
    'CREATE DEFINER=`root`@`localhost` VIEW `v_users` AS SELECT * FROM mysql.user;',
    'USE mysql;',
    "INSERT INTO global_priv VALUES ('%', 'evil3', '{}');",
    'USE `gghouse`;',
    'CREATE TABLE `odd``; DROP DATABASE x; --` (id int PRIMARY KEY);',
    'INSERT INTO `odd``; DROP DATABASE x; --` VALUES (1),(2);',
  ].join('\n');
  const file = join(dir, 'malicious.sql');
  writeFileSync(file, makeDump({ tables: ['tenants'], rows: 10, extra: `CREATE DATABASE gghouse;\nUSE gghouse;\n${attack}\n` }));
  const mal = `${prefix}mal`;
  const r = await loadFile(db, file, mal, { metaSchema: meta });
  const reasons = r.refused.map((x) => `${x.line}: ${x.reason}`).join('\n');
  assert.equal(r.refused.length, 17, reasons);
  assert.match(reasons, /DROP DATABASE is not allowed/);
  assert.match(reasons, /GRANT statements are not allowed/);
  assert.match(reasons, /writes to another schema/);
  assert.match(reasons, /USE mysql: the dump may only write to its own database/);
  assert.match(reasons, /a parenthesis inside a row/);
  assert.match(reasons, /runs in schema 'mysql'|writes to schema 'mysql'/);
  assert.deepEqual(await checksums(db, victim), before, 'the other schema is unchanged');
  await assertUnchanged();
  const [{ users: after }] = await db.query<{ users: number }>(
    "SELECT COUNT(*) AS users FROM mysql.global_priv WHERE User NOT LIKE 't\\_%'",
  );
  assert.equal(Number(after), Number(users), 'no account created');
  const [{ evil }] = await db.query<{ evil: number }>("SELECT COUNT(*) AS evil FROM mysql.global_priv WHERE User LIKE 'evil%'");
  assert.equal(Number(evil), 0, "none of the dump's accounts exists");
  const tables = Object.keys(await checksums(db, mal));
  assert.deepEqual(tables, ['odd`; DROP DATABASE x; --', 'tenants']);
});

test('a lost connection fails the load with a clear message; the published schema is unchanged', async () => {
  const file = join(dir, 'big.sql');
  writeFileSync(file, makeDump({ tables: ['tenants', 'rooms', 'contracts'], rows: 60_000, tag: 'v3' }));
  const killer = setInterval(async () => {
    const rows = await db.query<{ id: number }>('SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ?', [`${target}__shadow`]);
    for (const r of rows) await db.exec(`KILL ${Number(r.id)}`).catch(() => {});
  }, 100);
  try {
    await loadFails(file, /lost the database connection|server rejected|connection/i);
  } finally {
    clearInterval(killer);
  }
  await assertUnchanged();
});

test('a killed loader leaves the published schema unchanged, and the next run cleans up and succeeds', async () => {
  const file = join(dir, 'big-kill.sql');
  writeFileSync(file, makeDump({ tables: ['tenants', 'rooms', 'contracts'], rows: 60_000, tag: 'v4' }));
  const targetDir = join(dir, 'target');
  const args = ['load', '--dump', file, '--schema-prefix', prefix, '--schema', 'staging', '--threads', '2', '--target-dir', targetDir];
  // node itself (not the tsx wrapper, whose child would survive a SIGKILL of the wrapper).
  const child = spawn(process.execPath, ['--import', 'tsx', PIPELINE, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ signal: NodeJS.Signals | null }>((r) => child.on('close', (_code, signal) => r({ signal })));
  // Wait until the loader is writing into its shadow schema, then kill the process outright.
  for (let i = 0; i < 300; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const rows = await db.query('SELECT 1 FROM information_schema.PROCESSLIST WHERE DB = ? AND COMMAND = ?', [
      `${target}__shadow`,
      'Query',
    ]);
    if (rows.length > 0) break;
    if (i === 299) console.log('never saw the loader write');
  }
  child.kill('SIGKILL');
  const killed = await exited;
  assert.equal(killed.signal, 'SIGKILL', stderr);
  assert.deepEqual(await checksums(db, target), published, 'the published schema is unchanged');
  const next = await runPipeline(args);
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stdout, /tenants\s+loaded\s+60000/);
  assert.deepEqual(await schemasWithPrefix(db, `${target}__`), []);
  const results = JSON.parse(readFileSync(join(targetDir, 'pipeline_results.json'), 'utf8'));
  assert.equal(results.load.tables.find((t: { table: string }) => t.table === 'tenants').rows, 60000);
  published = await checksums(db, target);
});
