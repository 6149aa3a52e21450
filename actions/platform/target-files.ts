/**
 * Artifacts in the target directory (run_results.json, manifest.json, report.md, caches) are
 * written atomically: to a temporary name, then renamed, so a reader (or the next run after a
 * kill) sees the old file or the new one, never half of one. Text is redacted on the way out.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { redact } from './secrets.ts';

export function writeTargetFile(file: string, text: string): string {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, redact(text));
  renameSync(tmp, file);
  return file;
}
