import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Signer } from '@aws-sdk/rds-signer';
import { parseDatabaseUrl } from '../../actions/platform/db.ts';
import { createTokenSource, iamDriverOptions, TOKEN_REUSE_MS, type IamAuthTarget } from '../../actions/platform/iam-auth.ts';
import { databaseUrl } from '../../actions/github/action-inputs.ts';
import { redact } from '../../actions/platform/secrets.ts';

const HOST = 'tokyobeta-prod.cluster-abc123.ap-northeast-1.rds.amazonaws.com';
const credentials = { accessKeyId: 'AKIAEXAMPLEEXAMPLE', secretAccessKey: 'secret/example/key/0123456789abcdef' };
// The real signer: signing is local computation (no AWS call), so no mock is needed.
const realSigner = (t: IamAuthTarget) =>
  new Signer({ hostname: t.host, port: t.port, username: t.user, region: t.region ?? 'ap-northeast-1', credentials });

test('DATABASE_URL with auth=iam on an RDS endpoint gets IAM and TLS with the RDS CA', () => {
  const s = parseDatabaseUrl(`mysql://etl_user@${HOST}:3306/tokyobeta?auth=iam&region=ap-northeast-1`);
  assert.equal(s.auth, 'iam');
  assert.equal(s.region, 'ap-northeast-1');
  assert.equal(s.ssl, 'amazon-rds');
  assert.equal(s.password, undefined);
});

test('an RDS endpoint gets the RDS CA by default; other remote hosts keep TLS with the system CAs', () => {
  assert.equal(parseDatabaseUrl(`mysql://u:p@${HOST}`).ssl, 'amazon-rds');
  assert.equal(parseDatabaseUrl('mysql://u:p@db.example.com').ssl, 'required');
  assert.equal(parseDatabaseUrl('mysql://u:p@127.0.0.1').ssl, 'off');
});

test('IAM with a password, with TLS off, or an unknown auth is refused with what to do', () => {
  assert.throws(() => parseDatabaseUrl(`mysql://u:secret@${HOST}?auth=iam`), /both a password and auth=iam: remove one/);
  assert.throws(() => parseDatabaseUrl('mysql://u@127.0.0.1?auth=iam'), /needs TLS/);
  assert.throws(() => parseDatabaseUrl(`mysql://u@${HOST}?auth=kerberos`), /auth=kerberos is not known/);
});

test('a token is a presigned rds-db connect request for the host, port and user, and is redacted afterwards', async () => {
  const token = await createTokenSource({ host: HOST, port: 3306, user: 'etl_user', region: 'ap-northeast-1' }, realSigner)();
  assert.match(
    token,
    new RegExp(`^${HOST.replace(/\./g, '\\.')}:3306/\\?Action=connect&DBUser=etl_user&X-Amz-Algorithm=AWS4-HMAC-SHA256&`),
  );
  assert.match(token, /X-Amz-Expires=900/);
  assert.equal(redact(`connecting with ${token}`), 'connecting with ***');
});

test('a token is reused for a few minutes, then signed again (tokens live 15 minutes; pools open connections all run long)', async () => {
  let now = 0;
  let signed = 0;
  const source = createTokenSource(
    { host: HOST, port: 3306, user: 'etl' },
    () => ({ getAuthToken: async () => `token-${++signed}` }),
    () => now,
  );
  assert.equal(await source(), 'token-1');
  now = TOKEN_REUSE_MS - 1;
  assert.equal(await source(), 'token-1');
  now = TOKEN_REUSE_MS + 1;
  assert.equal(await source(), 'token-2');
});

test("the driver answers the server's mysql_clear_password switch with a NUL-terminated fresh token", async () => {
  const options = iamDriverOptions({ host: HOST, port: 3306, user: 'etl', region: 'ap-northeast-1' }, realSigner) as {
    authPlugins: { mysql_clear_password: () => (data: Buffer) => Promise<Buffer> };
  };
  const answer = await options.authPlugins.mysql_clear_password()(Buffer.alloc(0));
  assert.equal(answer[answer.length - 1], 0);
  assert.match(answer.subarray(0, -1).toString(), /Action=connect&DBUser=etl/);
});

test('the actions build an IAM DATABASE_URL from host, user and region, and a password one only as fallback', () => {
  const iam = databaseUrl(
    { host: HOST, port: 3306, user: 'etl_user', database: 'tokyobeta', auth: 'iam', region: 'ap-northeast-1' },
    undefined,
  )!;
  assert.equal(iam, `mysql://etl_user@${HOST}:3306/tokyobeta?auth=iam&region=ap-northeast-1&ssl=amazon-rds`);
  const s = parseDatabaseUrl(iam);
  assert.equal(s.auth, 'iam');
  assert.equal(s.database, 'tokyobeta');
  const pw = databaseUrl({ host: HOST, port: 3306, user: 'etl', auth: 'password', password: 'p@ss:w/rd' }, undefined)!;
  assert.equal(parseDatabaseUrl(pw).password, 'p@ss:w/rd');
  assert.equal(parseDatabaseUrl(pw).ssl, 'amazon-rds');
  assert.equal(databaseUrl({ port: 3306, auth: 'iam' }, 'mysql://root@127.0.0.1:3306'), 'mysql://root@127.0.0.1:3306');
});
