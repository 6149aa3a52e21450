/**
 * Looks for secrets where a run could leak them: its stdout and stderr, every file under its
 * target directory, and the messages it stored in the meta schema's runs table. A secret is looked
 * for as it is, URL-encoded (as it sits in DATABASE_URL) and base64-encoded.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface SecretHit {
  secret: string;
  where: string;
}

function forms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')])];
}

export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** Every place (`label` of a text) where one of the secrets appears. `secrets` maps a name to its value. */
export function findSecrets(secrets: Record<string, string>, texts: Record<string, string>): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    for (const [where, text] of Object.entries(texts)) {
      if (forms(value).some((f) => text.includes(f))) hits.push({ secret: name, where });
    }
  }
  return hits;
}

/** The texts of every file under `dir`, labelled by path. */
export function readTree(dir: string): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const f of filesUnder(dir)) texts[f] = readFileSync(f).toString('latin1');
  return texts;
}

/** Fake AWS credentials: never valid anywhere, but secrets all the same. */
export function fakeAwsEnv(): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: 'AKIARELIABILITYTEST01',
    AWS_SECRET_ACCESS_KEY: `relSecret/${randomBytes(15).toString('base64url')}`,
    AWS_SESSION_TOKEN: `relToken${randomBytes(24).toString('base64url')}`,
    AWS_REGION: 'ap-northeast-1',
  };
}
