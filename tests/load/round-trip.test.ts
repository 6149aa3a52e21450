/**
 * Round trips of real `mariadb-dump` output: tables full of hard cases are dumped with the usual
 * option variants, loaded with our loader, and must hold exactly what the originals hold
 * (CHECKSUM TABLE and row counts), with the views, triggers and routines recreated.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { qualified, quoteIdent, type Db } from '../../actions/platform/db.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { checksums, loadFile, mariadbDump, objectsOf, tableShapes } from './helpers.ts';

const prefix = testPrefix('loadrt');
const src = `${prefix}src`;
const meta = `${prefix}meta`;
let db: Db;
let dir: string;

before(async () => {
  db = await openTestDb();
  dir = mkdtempSync(join(tmpdir(), 'load-rt-'));
  await db.withSession(async (s) => {
    await s.exec(`CREATE DATABASE ${quoteIdent(src)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await s.exec(`USE ${quoteIdent(src)}`);
    // Zero dates and id 0 need a permissive mode, as in the vendor's database.
    await s.exec("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'");
    await s.exec(`CREATE TABLE hard (
      id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      txt TEXT NULL, bin BLOB NULL, vb VARBINARY(300) NULL,
      d DATE NULL, dt DATETIME NULL, ts TIMESTAMP NULL DEFAULT NULL,
      dec1 DECIMAL(20,6) NULL, f FLOAT NULL, dbl DOUBLE NULL, b BIT(5) NULL,
      e ENUM('a','b c','d''e') NULL, st SET('x','y','z') NULL, j LONGTEXT NULL,
      gen DECIMAL(22,6) AS (dec1 * 2) STORED,
      KEY by_txt (txt(20)), KEY by_dt (dt)
    ) ENGINE=InnoDB`);
    const ascii = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join('');
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const rows: unknown[][] = [
      [
        0,
        ascii,
        all,
        all,
        '0000-00-00',
        '0000-00-00 00:00:00',
        null,
        '-12345678901234.123456',
        1.5,
        -2.25e-10,
        31,
        'b c',
        'x,z',
        '{"a":[1,2]}',
      ],
      [
        1,
        'it\'s \\ "quoted" \n\r\t\x1a\x08 end',
        Buffer.from([0, 39, 92, 34, 10, 13, 26]),
        Buffer.alloc(0),
        '2026-02-05',
        '2026-02-05 23:59:59',
        '2026-02-05 01:02:03',
        '0.000001',
        0,
        1e308,
        0,
        "d'e",
        '',
        '',
      ],
      [
        2,
        '山田太郎 🍣 𠮷野家 ｶﾀｶﾅ',
        Buffer.from('日本語', 'utf8'),
        null,
        '1970-01-01',
        '9999-12-31 23:59:59',
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
      ],
      [3, '', Buffer.alloc(0), Buffer.from(''), null, null, null, '0', -0, 0, 1, 'a', 'y', 'NULL'],
      [4, 'NULL', null, null, null, null, null, null, null, null, null, null, null, null],
      [5, null, null, null, null, null, null, null, null, null, null, null, null, null],
      [6, 'x'.repeat(3_000_000), Buffer.alloc(2_000_000, 0xff), null, null, null, null, null, null, null, null, null, null, null],
      [
        7,
        '-- not a comment; /* nor this */ # nor this\nDELIMITER ;;\n*/ ;',
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
      ],
    ];
    for (const r of rows) {
      await s.exec('INSERT INTO hard (id, txt, bin, vb, d, dt, ts, dec1, f, dbl, b, e, st, j) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)', r);
    }
    const many = Array.from({ length: 2000 }, (_, k) => [k + 100, `row ${k} ${'é'.repeat(k % 50)}`]);
    await s.exec(`INSERT INTO hard (id, txt) VALUES ${many.map(() => '(?, ?)').join(', ')}`, many.flat());
    await s.exec('CREATE TABLE `select` (`from` INT PRIMARY KEY, `order by` VARCHAR(10), `we;ird``col` INT)');
    await s.exec("INSERT INTO `select` VALUES (1, 'a', 2), (2, ';', 3)");
    await s.exec('CREATE TABLE `we;ird``name -- x` (id INT PRIMARY KEY, v VARCHAR(20)) DEFAULT CHARSET=latin1');
    await s.exec("INSERT INTO `we;ird``name -- x` VALUES (1, 'caf\u00e9'), (2, NULL)");
    await s.exec('CREATE TABLE empty_one (id INT PRIMARY KEY) ENGINE=MyISAM');
    await s.exec('CREATE TABLE parent (id INT PRIMARY KEY) ENGINE=InnoDB');
    await s.exec(
      'CREATE TABLE child (id INT PRIMARY KEY, parent_id INT, CONSTRAINT fk_p FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE=InnoDB',
    );
    await s.exec('INSERT INTO parent VALUES (1), (2)');
    await s.exec('INSERT INTO child VALUES (10, 1), (11, 2)');
    await s.exec('CREATE VIEW v_hard AS SELECT id, txt FROM hard WHERE id < 10');
    await s.exec('CREATE VIEW v_on_view AS SELECT COUNT(*) AS n FROM v_hard');
    // A view on a view that sorts after it (mysqldump writes final views in name order).
    await s.exec('CREATE VIEW a_first AS SELECT n FROM v_on_view');
    await s.exec(
      'CREATE TRIGGER trg_child BEFORE INSERT ON child FOR EACH ROW BEGIN\n  IF NEW.id < 0 THEN SET NEW.id = 0; END IF; -- a comment; here\nEND',
    );
    await s.exec('CREATE PROCEDURE proc_count(OUT n INT) BEGIN SELECT COUNT(*) INTO n FROM hard; END');
    await s.exec('CREATE FUNCTION fn_twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2');
  });
});

after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const variants: Array<[string, string[]]> = [
  ['default options', []],
  ['--skip-extended-insert', ['--skip-extended-insert']],
  ['--hex-blob --complete-insert', ['--hex-blob', '--complete-insert']],
  ['--databases (CREATE DATABASE and USE)', ['--databases']],
  ['--net-buffer-length=16384 --no-autocommit', ['--net-buffer-length=16384', '--no-autocommit']],
];

variants.forEach(([name, args], i) => {
  test(`a mariadb-dump ${name} loads into tables equal to the originals`, async () => {
    const file = join(dir, `v${i}.sql`);
    mariadbDump(['--routines', '--triggers', ...args, src], file);
    const target = `${prefix}t${i}`;
    const r = await loadFile(db, file, target, { metaSchema: meta, withRoutines: true });
    assert.deepEqual(r.refused, []);
    assert.deepEqual(await checksums(db, target), await checksums(db, src));
    assert.deepEqual(await tableShapes(db, target), await tableShapes(db, src), 'same columns and indexes, in the same order');
    assert.deepEqual(await objectsOf(db, target), await objectsOf(db, src));
    const [{ n }] = await db.query<{ n: number }>(`SELECT ${qualified(target, 'fn_twice')}(21) AS n`);
    assert.equal(Number(n), 42);
    const hard = r.tables.find((t) => t.table === 'hard')!;
    assert.equal(hard.rows, 2008);
  });
});

test('a second load of the same dump reloads nothing and leaves the data as it was', async () => {
  const file = join(dir, 'v0.sql');
  const target = `${prefix}t0`;
  const before = await checksums(db, target);
  const r = await loadFile(db, file, target, { metaSchema: meta, withRoutines: true });
  assert.deepEqual(
    r.tables.map((t) => t.status),
    r.tables.map(() => 'unchanged'),
  );
  assert.deepEqual(await checksums(db, target), before);
  assert.deepEqual(await objectsOf(db, target), await objectsOf(db, src));
});

test('with INSERTs only (no LOAD DATA LOCAL INFILE) the result is the same', async () => {
  const file = join(dir, 'v4.sql'); // small batches: most hold plain rows only
  const target = `${prefix}ins`;
  const r = await loadFile(db, file, target, { metaSchema: meta, withRoutines: true, loadData: false });
  assert.equal(r.batches?.loadData, 0, 'LOAD DATA was not used');
  assert.deepEqual(await checksums(db, target), await checksums(db, src));
});

test('by default plain batches go as LOAD DATA LOCAL INFILE, with the same result', async () => {
  const file = join(dir, 'v4.sql');
  const target = `${prefix}ldi`;
  const loads = async () => Number((await db.query<{ Value: string }>("SHOW GLOBAL STATUS LIKE 'Com_load'"))[0]!.Value);
  const before = await loads();
  const r = await loadFile(db, file, target, { metaSchema: meta, withRoutines: true });
  // Each table's plain batches are gathered into one LOAD DATA (load-jobs.ts).
  assert.ok(r.batches!.loadData >= 1 && r.batches!.loadData <= r.tables.length, `LOAD DATA was used (${JSON.stringify(r.batches)})`);
  assert.ok((await loads()) - before >= r.batches!.loadData, 'the server ran the LOAD DATA statements');
  assert.deepEqual(await checksums(db, target), await checksums(db, src));
});
