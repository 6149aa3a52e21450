import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCollationMapper } from '../../actions/load/collations.ts';
import { checkValues } from '../../actions/load/insert-values.ts';
import { StatementClassifier, type Action } from '../../actions/load/statement-classifier.ts';

const MARIADB = { mariadb: true, versionId: 101119 };
const KNOWN = new Set(['utf8mb4_uca1400_ai_ci', 'utf8mb4_uca1400_as_cs', 'utf8mb4_bin', 'utf8mb4_general_ci', 'utf8mb4_unicode_ci']);

function classifier(withRoutines = false) {
  const collations = createCollationMapper(KNOWN);
  const c = new StatementClassifier({ flavor: MARIADB, withRoutines, collations, otherSchemas: new Set(['other', 'mysql']) });
  const run = (sql: string): Action => c.classify({ sql: Buffer.from(sql, 'utf8'), offset: 0, line: 1, terminated: true });
  return { c, run, collations };
}

test("the dump's own CREATE DATABASE and USE are redirected; names qualified with it are unqualified", () => {
  const { run } = classifier();
  assert.equal(run("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `shop` /*!80016 DEFAULT ENCRYPTION='N' */").kind, 'skip');
  assert.equal(run('USE `shop`').kind, 'skip');
  const t = run('CREATE TABLE `shop`.`t` (id int, p int, FOREIGN KEY (p) REFERENCES `shop`.`u` (id))') as Extract<
    Action,
    { kind: 'create-table' }
  >;
  assert.equal(t.kind, 'create-table');
  assert.equal(t.sql, 'CREATE TABLE `t` (id int, p int, FOREIGN KEY (p) REFERENCES `u` (id))');
  const ins = run('INSERT INTO `shop`.`t` VALUES (1,2),(3,4)') as Extract<Action, { kind: 'insert' }>;
  assert.equal(ins.rows, 2);
  assert.equal(ins.sql.toString(), 'INSERT INTO `t` VALUES (1,2),(3,4)');
});

test('other schemas, USE of another schema and what follows it are refused', () => {
  const { run } = classifier();
  run('USE `shop`');
  assert.match((run('INSERT INTO other.t VALUES (1)') as { reason: string }).reason, /another schema: other\.t/);
  assert.match((run('CREATE TABLE mysql.x (a int)') as { reason: string }).reason, /another schema/);
  assert.equal(run('USE mysql').kind, 'refuse');
  assert.match((run('INSERT INTO user VALUES (1)') as { reason: string }).reason, /schema 'mysql'/);
  assert.equal(run('USE shop').kind, 'skip');
  assert.equal(run('INSERT INTO t VALUES (1)').kind, 'insert');
});

test('GRANT, CREATE USER, DROP DATABASE, SET GLOBAL, LOAD DATA and SELECT … INTO OUTFILE are refused', () => {
  const { run } = classifier();
  for (const sql of [
    "GRANT ALL ON *.* TO 'x'@'%'",
    "CREATE USER 'x'",
    'DROP DATABASE shop',
    'SET GLOBAL max_connections = 1',
    "LOAD DATA INFILE '/etc/passwd' INTO TABLE t",
    "SELECT * FROM t INTO OUTFILE '/tmp/x'",
    'CREATE TABLE t (a int) ENGINE=FEDERATED',
    'CREATE TABLE t SELECT * FROM mysql.user',
  ]) {
    assert.equal(run(sql).kind, 'refuse', sql);
  }
});

test('GTID_PURGED and SQL_LOG_BIN are skipped, not refused', () => {
  const { run } = classifier();
  assert.match((run("SET @@GLOBAL.GTID_PURGED=/*!80000 '+'*/ 'abc:1-2'") as { reason: string }).reason, /GTID_PURGED is skipped/);
  assert.match((run('SET @@SESSION.SQL_LOG_BIN= 0') as { reason: string }).reason, /SQL_LOG_BIN is skipped/);
});

test('session settings follow the dump, including the saved/restored character set', () => {
  const { c, run } = classifier();
  run("/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */");
  run('/*!50503 SET NAMES utf8mb4 */');
  run('/*!40101 SET @saved_cs_client     = @@character_set_client */');
  run('/*!50503 SET character_set_client = latin1 */');
  assert.equal(c.session.get('character_set_client'), 'latin1');
  run('/*!40101 SET character_set_client = @saved_cs_client */');
  assert.equal(c.session.get('character_set_client'), 'utf8mb4');
  assert.equal(c.session.get('sql_mode'), "'NO_AUTO_VALUE_ON_ZERO'");
  run('/*!40101 SET SQL_MODE=@OLD_SQL_MODE */');
  assert.equal(c.session.get('sql_mode'), undefined, 'restored to the default');
  run('/*!50003 SET collation_connection  = utf8mb4_0900_ai_ci */');
  assert.equal(c.session.get('collation_connection'), 'utf8mb4_uca1400_ai_ci');
});

test('MySQL 8 collations are mapped to the nearest the server has, and counted', () => {
  const { run, collations } = classifier();
  const t = run(
    'CREATE TABLE t (a varchar(5) COLLATE utf8mb4_0900_as_cs, b text COLLATE utf8mb4_ja_0900_as_cs) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci',
  ) as { sql: string };
  assert.equal(
    t.sql,
    'CREATE TABLE t (a varchar(5) COLLATE utf8mb4_uca1400_as_cs, b text COLLATE utf8mb4_uca1400_as_cs) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci',
  );
  assert.deepEqual(collations.mappings(), [
    { from: 'utf8mb4_0900_as_cs', to: 'utf8mb4_uca1400_as_cs', count: 1 },
    { from: 'utf8mb4_ja_0900_as_cs', to: 'utf8mb4_uca1400_as_cs', count: 1 },
    { from: 'utf8mb4_0900_ai_ci', to: 'utf8mb4_uca1400_ai_ci', count: 1 },
  ]);
});

test('views, triggers and routines lose DEFINER; routines only load with --with-routines', () => {
  const without = classifier(false);
  assert.match(
    (without.run('CREATE DEFINER=`root`@`localhost` PROCEDURE p() BEGIN SELECT 1; END') as { reason: string }).reason,
    /--with-routines/,
  );
  const { run } = classifier(true);
  const v = run(
    '/*!50001 CREATE ALGORITHM=UNDEFINED */\n/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */\n/*!50001 VIEW `v` AS select `t`.`a` AS `a` from `t` */',
  ) as { kind: string; sql: string };
  assert.equal(v.kind, 'view');
  assert.doesNotMatch(v.sql, /DEFINER=/);
  const trg = run(
    "/*!50003 CREATE*/ /*!50017 DEFINER=root@'%'*/ /*!50003 TRIGGER `tr` AFTER INSERT ON `t` FOR EACH ROW BEGIN INSERT INTO u VALUES (NEW.a); END */",
  ) as { kind: string; sql: string; table: string };
  assert.equal(trg.kind, 'routine');
  assert.equal(trg.table, 't');
  assert.doesNotMatch(trg.sql, /DEFINER|root/);
  assert.equal(run('CREATE VIEW v2 AS SELECT user FROM mysql.user').kind, 'refuse');
  assert.equal(run('CREATE VIEW v3 AS SELECT a FROM other.t').kind, 'refuse');
});

test('VALUES lists may hold only literals', () => {
  const ok = (s: string) => checkValues(Buffer.from(s), 0);
  assert.deepEqual(ok("(1,'a',NULL,-2.5e-3),(2,'b''c\\'d',_binary 'x',0x1F)"), { ok: true, rows: 2, plain: false, first: 0, last: 50 });
  assert.equal((ok("(1,'a',NULL),(2,'it''s')") as { plain: boolean }).plain, true);
  for (const bad of [
    '((SELECT 1))',
    '(SLEEP(10))',
    '(@x)',
    '(`col`)',
    "(1,'a') ON DUPLICATE KEY UPDATE a=1",
    '(1',
    '(1)(2)',
    '(CURRENT_USER)',
  ]) {
    assert.equal(ok(bad).ok, false, bad);
  }
});

test('a dump whose first USE names a system schema only ever reaches the target, and the report says where it meant to write', () => {
  const { run } = classifier();
  const use = run('USE `mysql`');
  assert.deepEqual(use, { kind: 'skip', reason: "USE mysql (the dump's own database) redirected to the target schema" });
  const t = run('CREATE TABLE `mysql`.`user` (id int)') as Extract<Action, { kind: 'create-table' }>;
  assert.equal(t.sql, 'CREATE TABLE `user` (id int)', 'qualified with the redirected name, it lands in the target');
  assert.equal(run('USE `other`').kind, 'refuse');
});
