/**
 * The report stage: reads the run's artifacts from the target directory, renders the report and
 * writes target/report.md. No GitHub or process access: the CLI and the action pass what they read.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineError } from '../shared/errors.ts';
import { readRunResults, type RunResults } from '../shared/run-results.ts';
import { redact } from '../shared/secrets.ts';
import type { ManifestLike } from './lineage.ts';
import type { SourceLinks } from './links.ts';
import { renderReport } from './render-report.ts';

export const REPORT_FILE = 'report.md';
export const MANIFEST_FILE = 'manifest.json';

export interface ReportOptions {
  targetDir: string;
  links?: SourceLinks;
  maxBytes?: number;
}

export interface Report {
  results: RunResults;
  markdown: string;
  /** Where report.md was written. */
  file: string;
}

export function readManifest(targetDir: string): ManifestLike | undefined {
  const file = join(targetDir, MANIFEST_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ManifestLike;
  } catch (err) {
    throw new PipelineError(`${file} is not valid JSON (${(err as Error).message}). To fix this, rerun the build that writes it, or delete it.`);
  }
}

/** The last run's results, or a clear error when there is none to report. */
export function requireRunResults(targetDir: string): RunResults {
  let results: RunResults | undefined;
  try {
    results = readRunResults(targetDir);
  } catch (err) {
    throw new PipelineError(`${join(targetDir, 'run_results.json')} is not valid JSON (${(err as Error).message}). To fix this, rerun the pipeline.`);
  }
  if (!results) {
    throw new PipelineError(`no run results in ${targetDir}: run_results.json is missing. To fix this, run a stage first (for example 'pipeline daily'), or pass the right --target-dir.`);
  }
  return results;
}

export function writeReport(options: ReportOptions): Report {
  const results = requireRunResults(options.targetDir);
  const markdown = redact(renderReport(results, { manifest: readManifest(options.targetDir), links: options.links, maxBytes: options.maxBytes }));
  mkdirSync(options.targetDir, { recursive: true });
  const file = join(options.targetDir, REPORT_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, markdown);
  renameSync(tmp, file);
  return { results, markdown, file };
}
