/**
 * How the loader shapes its statements for the server it finds: on MariaDB 10.6+ a table's rows
 * go in one LOAD DATA and its secondary keys stay in the CREATE (the bulk insert into an empty
 * table sorts them); elsewhere keys are deferred, and a table is cut into chunks that connections
 * load side by side only where the server runs them in parallel (innodb_autoinc_lock_mode = 2, or
 * no AUTO_INCREMENT column).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bulkBuildsKeys, loadChunkBytes, SHARED_CHUNK_BYTES, WHOLE_TABLE_BYTES } from '../../actions/load/server-probe.ts';

const mariadb1011 = { mariadb: true, versionId: 101119 };
const mariadb105 = { mariadb: true, versionId: 100522 };
const mysql8 = { mariadb: false, versionId: 80036 };

test('MariaDB 10.6+ loads a whole table in one statement and builds its keys itself', () => {
  assert.equal(bulkBuildsKeys(mariadb1011), true);
  assert.equal(loadChunkBytes(bulkBuildsKeys(mariadb1011), 1, true), WHOLE_TABLE_BYTES);
  assert.equal(loadChunkBytes(bulkBuildsKeys(mariadb1011), 2, false), WHOLE_TABLE_BYTES);
});

test('elsewhere, chunks are shared between connections only where the server runs them in parallel', () => {
  for (const f of [mysql8, mariadb105]) {
    assert.equal(bulkBuildsKeys(f), false);
    assert.equal(loadChunkBytes(bulkBuildsKeys(f), 2, true), SHARED_CHUNK_BYTES, 'interleaved AUTO-INC lock (Aurora MySQL 3, MySQL 8)');
    assert.equal(loadChunkBytes(bulkBuildsKeys(f), 1, false), SHARED_CHUNK_BYTES, 'no AUTO_INCREMENT column');
    assert.equal(loadChunkBytes(bulkBuildsKeys(f), 1, true), WHOLE_TABLE_BYTES, 'consecutive lock mode: inserts take turns');
    assert.equal(loadChunkBytes(bulkBuildsKeys(f), 2, true, 1 << 20), 1 << 20, 'a chunk size of its own (tests)');
  }
});
