/**
 * A dedicated database user for a reliability run, with a random password: the run's connections
 * are then exactly that user's (for KILL CONNECTION), its password is a real secret to look for in
 * the output, and it can touch nothing but the prefix's schemas (least privilege, as in production).
 * https://mariadb.com/kb/en/grant/#database-privileges (wildcards in database names)
 */
import { randomBytes } from 'node:crypto';
import { quoteIdent, quoteString, type Db } from '../../actions/platform/db.ts';

export interface PipelineUser {
  name: string;
  password: string;
  /** DATABASE_URL for this user on the admin connection's server. */
  url: string;
  drop(): Promise<void>;
}

/** Grant wildcards: `_` and `%` in a prefix must be escaped to mean themselves. */
function grantPattern(prefix: string): string {
  return `${prefix.replace(/[_%\\]/g, (c) => `\\${c}`)}%`;
}

export async function createPipelineUser(admin: Db, prefix: string, options: { password?: string } = {}): Promise<PipelineUser> {
  const name = `t_rel_${randomBytes(4).toString('hex')}`;
  // Characters that must be URL-encoded in DATABASE_URL, so the test also covers the encoded form.
  const password = options.password ?? `Pw/${randomBytes(9).toString('base64url')}@:%x`;
  const account = `${quoteString(name)}@'%'`;
  await admin.exec(`CREATE USER ${account} IDENTIFIED BY ${quoteString(password)}`);
  try {
    await admin.exec(`GRANT ALL PRIVILEGES ON ${quoteIdent(grantPattern(prefix))}.* TO ${account}`);
    // PROCESS: the run lock reads information_schema.PROCESSLIST to find runs whose process died.
    await admin.exec(`GRANT PROCESS ON *.* TO ${account}`);
  } catch (err) {
    await admin.exec(`DROP USER IF EXISTS ${account}`).catch(() => {});
    throw err;
  }
  const s = admin.settings;
  const url = `mysql://${encodeURIComponent(name)}:${encodeURIComponent(password)}@${s.host}:${s.port}`;
  return {
    name,
    password,
    url,
    async drop() {
      await admin.exec(`DROP USER IF EXISTS ${account}`);
    },
  };
}
