/**
 * `--with-routines` loads triggers, procedures and functions, but nothing that could act outside
 * the target schema: EVENTs (they run by themselves), UDFs (`CREATE FUNCTION … SONAME`), and any
 * routine or trigger whose body runs dynamic SQL (PREPARE, EXECUTE, EXECUTE IMMEDIATE) or names
 * another schema are refused and listed. Proven on a private server with the event scheduler on
 * (the shared server's scheduler is not ours to switch): another schema stays exactly as it was.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { resolveDumpSource } from '../../actions/load/dump-source.ts';
import { loadDump } from '../../actions/load/load-dump.ts';
import { openDb, parseDatabaseUrl, type Db } from '../../actions/platform/db.ts';
import { createMemoryLogger } from '../../actions/platform/log.ts';
import { type PrivateServer, privateServerAvailable, startPrivateServer } from '../../scripts/reliability/private-server.ts';
import { checksums, makeDump } from './helpers.ts';

const available = privateServerAvailable();
let server: PrivateServer;
let db: Db;
let dir: string;

const HOSTILE = [
  'DELIMITER ;;',
  // The event of the issue: dynamic SQL that drops a table of another schema, every second.
  "/*!50106 CREATE*/ /*!50117 DEFINER=`root`@`localhost`*/ /*!50106 EVENT `ev_drop` ON SCHEDULE EVERY 1 SECOND DO BEGIN SET @q = CONCAT('DROP TABLE other','.t'); PREPARE s FROM @q; EXECUTE s; END */ ;;",
  "CREATE DEFINER=`root`@`localhost` PROCEDURE `p_dyn`() BEGIN SET @q = 'DELETE FROM other.t'; PREPARE s FROM @q; EXECUTE s; DEALLOCATE PREPARE s; END ;;",
  "CREATE DEFINER=`root`@`localhost` PROCEDURE `p_imm`() BEGIN EXECUTE IMMEDIATE CONCAT('TRUNCATE ', 'other.t'); END ;;",
  '/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `trg_other` AFTER INSERT ON `tenants` FOR EACH ROW INSERT INTO other.t VALUES (NEW.id + 1000, NEW.name) */;;',
  '/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `trg_grant` AFTER INSERT ON `tenants` FOR EACH ROW SET @@GLOBAL.max_connections = 5 */;;',
  "CREATE DEFINER=`root`@`localhost` FUNCTION `f_dyn`() RETURNS int DETERMINISTIC BEGIN SET @x = 'SELECT 1'; EXECUTE IMMEDIATE @x; RETURN 1; END ;;",
  'DELIMITER ;',
  "CREATE FUNCTION `f_udf` RETURNS STRING SONAME 'ha_evil.so';",
  // Allowed: they act on the target only.
  'DELIMITER ;;',
  '/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `trg_ok` BEFORE INSERT ON `tenants` FOR EACH ROW SET NEW.name = TRIM(NEW.name) */;;',
  "CREATE DEFINER=`root`@`localhost` PROCEDURE `p_ok`() BEGIN SELECT COUNT(*) FROM tenants WHERE note <> 'EXECUTE x; PREPARE y'; END ;;",
  'DELIMITER ;',
].join('\n');

before(async () => {
  if (!available) return;
  server = await startPrivateServer(['--event-scheduler=ON']);
  db = await openDb(parseDatabaseUrl(server.url), { connections: 4 });
  dir = mkdtempSync(join(tmpdir(), 'load-routines-'));
  await db.exec('CREATE DATABASE other');
  await db.exec('CREATE TABLE other.t (id INT PRIMARY KEY, name VARCHAR(100))');
  await db.exec("INSERT INTO other.t VALUES (1, 'keep me'), (2, 'me too')");
});

after(async () => {
  if (!available) return;
  await db?.close();
  await server?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

test('with --with-routines, events, UDFs and routines that run dynamic SQL or name another schema are refused; nothing outside the target changes', {
  skip: !available && 'no mariadbd here',
}, async () => {
  const [{ on }] = await db.query<{ on: string }>('SELECT @@event_scheduler AS `on`');
  assert.equal(on, 'ON');
  const before = await checksums(db, 'other');
  const file = join(dir, 'hostile.sql');
  writeFileSync(file, makeDump({ tables: ['tenants'], rows: 30, extra: `${HOSTILE}\n` }));
  const r = await loadDump(
    db,
    { source: await resolveDumpSource(file), schema: 'staging', metaSchema: 'pipeline_meta', withRoutines: true },
    createMemoryLogger(),
  );
  const reasons = r.refused.map((x) => x.reason).sort();
  assert.equal(reasons.length, 7, reasons.join('\n'));
  for (const [name, why] of [
    ['EVENT ev_drop', /events run on their own schedule/],
    ['PROCEDURE p_dyn', /dynamic SQL \(PREPARE\)/],
    ['PROCEDURE p_imm', /dynamic SQL \(EXECUTE\)/],
    ['FUNCTION f_dyn', /dynamic SQL \(EXECUTE\)/],
    ['FUNCTION f_udf', /SONAME/],
    ['trigger trg_other', /names another schema: other/],
    ['TRIGGER trg_grant', /global setting/],
  ] as const) {
    const found = reasons.find((x) => x.toLowerCase().startsWith(name.toLowerCase()));
    assert.ok(found, `${name} not refused:\n${reasons.join('\n')}`);
    assert.match(found, why);
  }
  // Fire the triggers that loaded, and give a stray event time to run (it would run every second).
  await db.exec("INSERT INTO staging.tenants (id, name) VALUES (9999, '  spaced  ')");
  await new Promise((res) => setTimeout(res, 2500));
  const [{ name }] = await db.query<{ name: string }>('SELECT name FROM staging.tenants WHERE id = 9999');
  assert.equal(name, 'spaced', 'the allowed trigger runs');
  assert.deepEqual(await checksums(db, 'other'), before, 'another schema is unchanged');
  assert.deepEqual(await db.query('SELECT EVENT_SCHEMA, EVENT_NAME FROM information_schema.EVENTS'), []);
  assert.deepEqual(await db.query('SELECT name FROM mysql.func'), []);
  const routines = await db.query<{ n: string }>(
    "SELECT ROUTINE_NAME AS n FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'staging'",
  );
  assert.deepEqual(
    routines.map((x) => x.n),
    ['p_ok'],
  );
  const [{ mc }] = await db.query<{ mc: number }>('SELECT @@GLOBAL.max_connections AS mc');
  assert.notEqual(Number(mc), 5);
});
