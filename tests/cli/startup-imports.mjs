// A module hook for tests/cli/startup.test.ts: appends every resolved module URL to the file named
// by STARTUP_IMPORTS_FILE (hooks run off the main thread, so a file is how they report).
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';

if (!globalThis.__startupImportsRegistered) {
  globalThis.__startupImportsRegistered = true;
  register(import.meta.url, { data: process.env.STARTUP_IMPORTS_FILE });
}

let file;
export function initialize(data) {
  file = data;
}
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (file) appendFileSync(file, `${r.url}\n`);
  return r;
}
