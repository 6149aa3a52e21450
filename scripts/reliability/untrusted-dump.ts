/**
 * The untrusted dump: a real mysqldump with attacks spliced in, each with a check that it did not
 * take effect and a pattern that finds it in the run's list of refused statements. The attacks aim
 * only at objects this harness created for the purpose (the prefix's schemas, a decoy schema, a
 * decoy user) or at harmless global variables, so that a loader that let one through damages
 * nothing of anyone else's on a shared server. Attacks that would hurt the whole server if they
 * worked (SHUTDOWN, a new root password) are kept for a private server (`catastrophic`).
 */
import { existsSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { qualified, quoteIdent, quoteString, type Db } from '../../actions/platform/db.ts';

export interface AttackContext {
  prefix: string;
  /** A schema of the prefix that the dump must not reach, with one row of `secrets`. */
  victimSchema: string;
  /** A published schema of the warehouse that the dump tries to drop. */
  goldSchema: string;
  /** A user (created by the harness) that the dump tries to take over. */
  decoyUser: string;
  /** A marker string held in the victim's table: it must never appear in a table the dump made. */
  marker: string;
  /** Files the dump tries to write (must not exist afterwards). */
  outfile: string;
  dataDirectory: string;
  /** Name of a user the dump tries to create (must not exist afterwards). */
  evilUser: string;
  /** Global variables the dump tries to set, with the values it tries (harmless if they stuck). */
  globals: Record<string, number>;
}

export interface Attack {
  name: string;
  /** mysqldump text of the attack (statements ending with ;\n). */
  sql(c: AttackContext): string;
  /** Finds the attack in the report's refused statements. */
  signature: RegExp;
  /** Only on a private server: if it worked it would hurt every user of the server. */
  catastrophic?: boolean;
  /** Harmless when loaded as written (a table with an odd name in the target schema): need not be refused. */
  mayLoad?: boolean;
}

export function newAttackContext(prefix: string, goldSchema: string): AttackContext {
  const tag = randomBytes(4).toString('hex');
  return {
    prefix,
    victimSchema: `${prefix}victim`,
    goldSchema,
    decoyUser: `t_rel_decoy_${tag}`,
    marker: `VICTIM-SECRET-${tag}`,
    outfile: `/tmp/t_rel_outfile_${tag}.txt`,
    dataDirectory: `/tmp/t_rel_datadir_${tag}`,
    evilUser: `t_rel_evil_${tag}`,
    globals: { max_connect_errors: 100 + 7919, net_read_timeout: 31, wait_timeout: 28807 },
  };
}

const q = quoteIdent;
const s = quoteString;

export const ATTACKS: Attack[] = [
  // The first USE of a dump names the dump's own database (mysqldump --databases writes one), and
  // the loader redirects it to the target schema: harmless, as long as nothing lands in `mysql`.
  {
    name: 'USE mysql, then create a table there',
    signature: /\bUSE\b/i,
    mayLoad: true,
    sql: () => 'USE `mysql`;\nCREATE TABLE `t_rel_pwned` (x INT);\n',
  },
  {
    name: 'USE another schema of the server',
    signature: /\bUSE\b/i,
    sql: (c) => `USE ${q(c.victimSchema)};\nCREATE TABLE \`pwned_by_use\` (x INT);\n`,
  },
  { name: 'DROP DATABASE of the published gold schema', signature: /DROP\s+DATABASE/i, sql: (c) => `DROP DATABASE ${q(c.goldSchema)};\n` },
  {
    name: 'DROP SCHEMA IF EXISTS of another schema',
    signature: /DROP\s+SCHEMA/i,
    sql: (c) => `DROP SCHEMA IF EXISTS ${q(c.victimSchema)};\n`,
  },
  {
    name: 'DROP DATABASE hidden in a versioned comment',
    signature: /DROP\s+DATABASE/i,
    sql: (c) => `/*!50000 DROP DATABASE ${q(c.victimSchema)} */;\n`,
  },
  { name: 'CREATE DATABASE of a new schema', signature: /CREATE\s+DATABASE/i, sql: (c) => `CREATE DATABASE ${q(c.prefix + 'evil')};\n` },
  {
    name: 'GRANT ALL on everything',
    signature: /\bGRANT\b/i,
    sql: (c) => `GRANT ALL PRIVILEGES ON *.* TO ${s(c.decoyUser)}@'%' WITH GRANT OPTION;\n`,
  },
  { name: 'CREATE USER', signature: /CREATE\s+USER/i, sql: (c) => `CREATE USER ${s(c.evilUser)}@'%' IDENTIFIED BY 'pwned';\n` },
  {
    name: 'ALTER USER (new password)',
    signature: /ALTER\s+USER/i,
    sql: (c) => `ALTER USER ${s(c.decoyUser)}@'%' IDENTIFIED BY 'pwned';\n`,
  },
  {
    name: 'SET PASSWORD FOR a user',
    signature: /SET\s+PASSWORD/i,
    sql: (c) => `SET PASSWORD FOR ${s(c.decoyUser)}@'%' = PASSWORD('pwned');\n`,
  },
  { name: 'DROP USER', signature: /DROP\s+USER/i, sql: (c) => `DROP USER ${s(c.decoyUser)}@'%';\n` },
  {
    name: 'CREATE DEFINER=root TRIGGER writing to another schema',
    signature: /TRIGGER/i,
    sql: (c) =>
      `DELIMITER ;;\n/*!50003 CREATE*/ /*!50017 DEFINER=\`root\`@\`localhost\`*/ /*!50003 TRIGGER \`t_rel_evil_trg\` BEFORE INSERT ON \`t_rel_carrier\` FOR EACH ROW INSERT INTO ${qualified(c.victimSchema, 'secrets')} VALUES (666, 'trigger') */;;\nDELIMITER ;\n` +
      'INSERT INTO `t_rel_carrier` VALUES (1);\n',
  },
  {
    name: 'CREATE DEFINER=root SQL SECURITY DEFINER VIEW over mysql.user',
    signature: /VIEW/i,
    sql: () =>
      '/*!50001 CREATE ALGORITHM=UNDEFINED */\n/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */\n/*!50001 VIEW `t_rel_leak_users` AS SELECT `User`, `Password` FROM `mysql`.`user` */;\n',
  },
  {
    name: 'CREATE VIEW reading another schema',
    signature: /VIEW/i,
    sql: (c) => `CREATE VIEW \`t_rel_leak_victim\` AS SELECT * FROM ${qualified(c.victimSchema, 'secrets')};\n`,
  },
  {
    name: 'CREATE DEFINER=root EVENT dropping another schema',
    signature: /EVENT/i,
    sql: (c) =>
      `DELIMITER ;;\n/*!50106 CREATE*/ /*!50117 DEFINER=\`root\`@\`localhost\`*/ /*!50106 EVENT \`t_rel_evil_evt\` ON SCHEDULE EVERY 1 SECOND DO DROP DATABASE ${q(c.victimSchema)} */ ;;\nDELIMITER ;\n`,
  },
  {
    name: 'CREATE DEFINER=root PROCEDURE',
    signature: /PROCEDURE/i,
    sql: (c) =>
      `DELIMITER ;;\nCREATE DEFINER=\`root\`@\`localhost\` PROCEDURE \`t_rel_evil_proc\`() SQL SECURITY DEFINER DROP DATABASE ${q(c.victimSchema)} ;;\nDELIMITER ;\n`,
  },
  { name: 'CALL a procedure', signature: /\bCALL\b/i, sql: () => 'CALL `t_rel_evil_proc`();\n' },
  {
    name: 'CREATE TABLE in another schema (qualified name)',
    signature: /victim|CREATE\s+TABLE/i,
    sql: (c) => `CREATE TABLE ${qualified(c.victimSchema, 'injected')} (x INT);\n`,
  },
  {
    name: 'INSERT INTO a table of another schema',
    signature: /victim|INSERT/i,
    sql: (c) => `INSERT INTO ${qualified(c.victimSchema, 'secrets')} VALUES (667, 'insert');\n`,
  },
  {
    name: 'DROP TABLE in another schema',
    signature: /DROP\s+TABLE/i,
    sql: (c) => `DROP TABLE IF EXISTS ${qualified(c.victimSchema, 'secrets')};\n`,
  },
  {
    name: 'RENAME TABLE out of another schema',
    signature: /RENAME/i,
    sql: (c) => `RENAME TABLE ${qualified(c.victimSchema, 'secrets')} TO \`stolen_secrets\`;\n`,
  },
  {
    name: 'ALTER TABLE ... RENAME into another schema',
    signature: /ALTER\s+TABLE|RENAME/i,
    sql: (c) => `ALTER TABLE \`t_rel_carrier\` RENAME TO ${qualified(c.victimSchema, 'carrier_moved')};\n`,
  },
  {
    name: 'CREATE TABLE ... AS SELECT from mysql.user',
    signature: /mysql|SELECT/i,
    sql: () => 'CREATE TABLE `t_rel_exfil_users` AS SELECT `User`, `Password` FROM `mysql`.`user`;\n',
  },
  {
    name: 'INSERT ... SELECT from another schema',
    signature: /SELECT/i,
    sql: (c) => `INSERT INTO \`t_rel_exfil\` SELECT v FROM ${qualified(c.victimSchema, 'secrets')};\n`,
  },
  {
    name: 'table name with backticks trying to break quoting',
    signature: /DROP DATABASE|`/,
    mayLoad: true,
    sql: (c) =>
      `CREATE TABLE ${q(`x\`; DROP DATABASE ${q(c.goldSchema)}; -- `)} (id INT);\nINSERT INTO ${q(`x\`; DROP DATABASE ${q(c.goldSchema)}; -- `)} VALUES (1);\n`,
  },
  {
    name: 'LOAD DATA INFILE of a server file',
    signature: /LOAD\s+DATA/i,
    sql: () => "LOAD DATA INFILE '/etc/passwd' INTO TABLE `t_rel_loot`;\n",
  },
  {
    name: 'LOAD DATA LOCAL INFILE of a client file',
    signature: /LOAD\s+DATA/i,
    sql: () => "LOAD DATA LOCAL INFILE '/etc/passwd' INTO TABLE `t_rel_loot`;\n",
  },
  {
    name: 'SELECT ... INTO OUTFILE',
    signature: /OUTFILE|SELECT/i,
    sql: (c) => `SELECT * FROM ${qualified(c.victimSchema, 'secrets')} INTO OUTFILE ${s(c.outfile)};\n`,
  },
  { name: 'SELECT ... INTO DUMPFILE', signature: /DUMPFILE|SELECT/i, sql: (c) => `SELECT 'x' INTO DUMPFILE ${s(c.outfile + '.dump')};\n` },
  {
    name: 'CREATE TABLE ... DATA DIRECTORY outside the data dir',
    signature: /DATA\s+DIRECTORY|CREATE\s+TABLE/i,
    sql: (c) => `CREATE TABLE \`t_rel_outside\` (x INT) ENGINE=InnoDB DATA DIRECTORY=${s(c.dataDirectory)};\n`,
  },
  {
    name: 'SET GLOBAL',
    signature: /SET\s+GLOBAL|@@GLOBAL/i,
    sql: (c) => `SET GLOBAL max_connect_errors = ${c.globals.max_connect_errors};\n`,
  },
  {
    name: 'SET @@GLOBAL. in a versioned comment',
    signature: /GLOBAL/i,
    sql: (c) => `/*!40101 SET @@GLOBAL.net_read_timeout = ${c.globals.net_read_timeout} */;\n`,
  },
  {
    name: 'SET GLOBAL among session settings',
    signature: /GLOBAL/i,
    sql: (c) => `SET NAMES utf8mb4, GLOBAL wait_timeout = ${c.globals.wait_timeout};\n`,
  },
  {
    name: 'PREPARE/EXECUTE of dynamic SQL',
    signature: /PREPARE|EXECUTE/i,
    sql: (c) => `PREPARE t_rel_stmt FROM ${s(`DROP DATABASE ${q(c.victimSchema)}`)};\nEXECUTE t_rel_stmt;\n`,
  },
  { name: 'DO SLEEP (a hang)', signature: /\bDO\b|SLEEP/i, sql: () => 'DO SLEEP(20);\n' },
  { name: 'client shell escape', signature: /\\!|system/i, sql: (c) => `\\! touch ${c.outfile}.shell ;\n` },
  { name: 'SHUTDOWN', signature: /SHUTDOWN/i, catastrophic: true, sql: () => 'SHUTDOWN;\n' },
  {
    name: 'SET PASSWORD for root',
    signature: /PASSWORD/i,
    catastrophic: true,
    sql: () => "SET PASSWORD FOR 'root'@'localhost' = PASSWORD('pwned');\n",
  },
  { name: 'INSTALL SONAME', signature: /INSTALL/i, catastrophic: true, sql: () => "INSTALL SONAME 'ha_connect';\n" },
];

/** Tables the attacks need in the target schema (a carrier for the trigger, sinks for exfiltration). */
function carrierTables(): string {
  return [
    'DROP TABLE IF EXISTS `t_rel_carrier`;',
    'CREATE TABLE `t_rel_carrier` (`id` int NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;',
    'DROP TABLE IF EXISTS `t_rel_exfil`;',
    'CREATE TABLE `t_rel_exfil` (`v` varchar(200) DEFAULT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;',
    'DROP TABLE IF EXISTS `t_rel_loot`;',
    'CREATE TABLE `t_rel_loot` (`line` text) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;',
    '',
  ].join('\n');
}

export interface UntrustedDump {
  text: string;
  /** The 1-based lines each attack occupies in `text`, to find it in the refused list by line. */
  lines: Map<Attack, { first: number; last: number }>;
}

const countLines = (t: string) => t.split('\n').length - 1;

/**
 * A dump with the attacks spliced in just before its footer (the `SET ...=@OLD_...` lines and the
 * `-- Dump completed` trailer), so it is otherwise a complete, valid mysqldump.
 */
export function buildUntrustedDump(dump: string, c: AttackContext, attacks: Attack[]): UntrustedDump {
  const footer = dump.search(/\n\/\*!40103 SET TIME_ZONE=@OLD_TIME_ZONE \*\/;|\n-- Dump completed/);
  const at = footer >= 0 ? footer + 1 : dump.length;
  let block = `\n--\n-- Untrusted content below (reliability suite)\n--\n\n${carrierTables()}\n`;
  let line = countLines(dump.slice(0, at)) + 1 + countLines(block);
  const lines = new Map<Attack, { first: number; last: number }>();
  for (const a of attacks) {
    const sql = a.sql(c);
    const text = `-- attack: ${a.name}\n${sql}\n`;
    lines.set(a, { first: line + 1, last: line + countLines(sql) });
    block += text;
    line += countLines(text);
  }
  return { text: dump.slice(0, at) + block + dump.slice(at), lines };
}

/** Sets up what the attacks aim at: the victim schema with its secret row, and the decoy user. */
export async function prepareTargets(admin: Db, c: AttackContext): Promise<void> {
  await admin.exec(`CREATE DATABASE IF NOT EXISTS ${q(c.victimSchema)}`);
  await admin.exec(`CREATE TABLE IF NOT EXISTS ${qualified(c.victimSchema, 'secrets')} (id INT PRIMARY KEY, v VARCHAR(200))`);
  await admin.exec(`REPLACE INTO ${qualified(c.victimSchema, 'secrets')} VALUES (1, ?)`, [c.marker]);
  await admin.exec(`CREATE USER IF NOT EXISTS ${s(c.decoyUser)}@'%' IDENTIFIED BY ${s(randomBytes(12).toString('hex'))}`);
  await admin.exec(`GRANT SELECT ON ${q(c.victimSchema.replace(/_/g, '\\_'))}.* TO ${s(c.decoyUser)}@'%'`);
}

export async function removeTargets(admin: Db, c: AttackContext, originalGlobals: Record<string, string>): Promise<void> {
  await admin.exec(`DROP USER IF EXISTS ${s(c.decoyUser)}@'%'`).catch(() => {});
  await admin.exec(`DROP USER IF EXISTS ${s(c.evilUser)}@'%'`).catch(() => {});
  // Put back any global variable an attack managed to change (it must not have).
  for (const [name, value] of Object.entries(originalGlobals)) {
    if (/^\d+$/.test(value)) await admin.exec(`SET GLOBAL ${name} = ${value}`).catch(() => {});
  }
}

/** The security state the attacks try to change: users, grants, globals, files. */
export interface SecurityState {
  decoy: string;
  evilUserExists: boolean;
  globals: Record<string, string>;
  users: string;
}

export async function securityState(admin: Db, c: AttackContext): Promise<SecurityState> {
  const [decoy] = await admin.query<{ priv: string }>('SELECT Priv AS priv FROM mysql.global_priv WHERE User = ? AND Host = ?', [
    c.decoyUser,
    '%',
  ]);
  const grants = decoy ? await admin.query<Record<string, string>>(`SHOW GRANTS FOR ${s(c.decoyUser)}@'%'`) : [];
  const [evil] = await admin.query<{ n: number }>('SELECT COUNT(*) AS n FROM mysql.global_priv WHERE User = ?', [c.evilUser]);
  const globals: Record<string, string> = {};
  for (const name of Object.keys(c.globals)) {
    const [row] = await admin.query<{ v: string }>(`SELECT @@GLOBAL.${name} AS v`);
    globals[name] = String(row?.v);
  }
  // Users that existed before any run: root's rows must never change.
  const roots = await admin.query<{ u: string; h: string; p: string }>(
    "SELECT User AS u, Host AS h, Priv AS p FROM mysql.global_priv WHERE User IN ('root', 'mariadb.sys') ORDER BY 1, 2",
  );
  return {
    decoy: `${decoy?.priv ?? 'missing'}|${grants.map((g) => Object.values(g)[0]).join(';')}`,
    evilUserExists: Number(evil?.n) > 0,
    globals,
    users: roots.map((r) => `${r.u}@${r.h}:${r.p}`).join('\n'),
  };
}

/** Everything an attack may have left in the prefix's schemas or on disk; empty when none took effect. */
export async function attackEffects(admin: Db, c: AttackContext, before: SecurityState, runAccount: string): Promise<string[]> {
  const effects: string[] = [];
  const after = await securityState(admin, c);
  if (after.decoy !== before.decoy) effects.push(`the decoy user ${c.decoyUser} changed (grants or password)`);
  if (after.evilUserExists) effects.push(`user ${c.evilUser} was created`);
  if (after.users !== before.users) effects.push("root's account changed");
  for (const [name, value] of Object.entries(after.globals)) {
    if (value !== before.globals[name]) effects.push(`global ${name} changed from ${before.globals[name]} to ${value}`);
  }
  const like = `${c.prefix.replace(/_/g, '\\_')}%`;
  const [mysqlTable] = await admin.query<{ n: number }>(
    "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'mysql' AND TABLE_NAME = 't_rel_pwned'",
  );
  if (Number(mysqlTable?.n)) effects.push('a table was created in the mysql schema');
  const victimTables = await admin.query<{ t: string }>(
    'SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1',
    [c.victimSchema],
  );
  if (victimTables.map((t) => t.t).join(',') !== 'secrets')
    effects.push(`the victim schema's tables are now: ${victimTables.map((t) => t.t).join(', ') || 'none (dropped)'}`);
  else {
    const rows = await admin.query<{ id: number; v: string }>(`SELECT id, v FROM ${qualified(c.victimSchema, 'secrets')} ORDER BY id`);
    if (rows.length !== 1 || rows[0]!.v !== c.marker) effects.push(`the victim's rows changed: ${JSON.stringify(rows)}`);
  }
  const [evilSchema] = await admin.query<{ n: number }>('SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [
    c.prefix + 'evil',
  ]);
  if (Number(evilSchema?.n)) effects.push(`schema ${c.prefix}evil was created`);
  // Exfiltration: a table or view made by the dump that holds another schema's data or the server's users.
  for (const t of await admin.query<{ sch: string; t: string; type: string }>(
    "SELECT TABLE_SCHEMA AS sch, TABLE_NAME AS t, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA LIKE ? AND TABLE_SCHEMA <> ? AND TABLE_NAME IN ('t_rel_exfil', 't_rel_exfil_users', 't_rel_loot', 't_rel_leak_users', 't_rel_leak_victim', 'stolen_secrets', 'carrier_moved')",
    [like, c.victimSchema],
  )) {
    const [n] = await admin.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${qualified(t.sch, t.t)}`).catch(() => [{ n: 0 }]);
    if (t.type === 'VIEW') effects.push(`view ${t.sch}.${t.t} exists (it reads outside the staging schema)`);
    else if (Number(n?.n) > 0) effects.push(`${t.sch}.${t.t} holds ${n!.n} exfiltrated rows`);
  }
  for (const r of await admin.query<{ kind: string; sch: string; name: string; definer: string }>(
    `SELECT 'trigger' AS kind, TRIGGER_SCHEMA AS sch, TRIGGER_NAME AS name, DEFINER AS definer FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA LIKE ?
     UNION ALL SELECT 'routine', ROUTINE_SCHEMA, ROUTINE_NAME, DEFINER FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA LIKE ?
     UNION ALL SELECT 'event', EVENT_SCHEMA, EVENT_NAME, DEFINER FROM information_schema.EVENTS WHERE EVENT_SCHEMA LIKE ?
     UNION ALL SELECT 'view', TABLE_SCHEMA, TABLE_NAME, DEFINER FROM information_schema.VIEWS WHERE TABLE_SCHEMA LIKE ?`,
    [like, like, like, like],
  )) {
    // The dump's DEFINER would escalate only when it is not the account that ran the load.
    if (r.definer === 'root@localhost' && runAccount !== 'root@localhost')
      effects.push(`${r.kind} ${r.sch}.${r.name} runs as the dump's DEFINER root@localhost`);
  }
  for (const f of [c.outfile, `${c.outfile}.dump`, `${c.outfile}.shell`]) if (existsSync(f)) effects.push(`file ${f} was written`);
  if (existsSync(c.dataDirectory) && readdirSync(c.dataDirectory).length) effects.push(`files were written in ${c.dataDirectory}`);
  return effects;
}
