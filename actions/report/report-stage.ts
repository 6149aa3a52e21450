/**
 * The report stage: reads the run's artifacts from the target directory, renders the report and
 * writes target/report.md. No GitHub or process access: the CLI and the action pass what they read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineError } from '../platform/errors.ts';
import { PIPELINE_RESULTS_FILE, readRunResults, writeRunResults, type RunResults, type TableCount } from '../platform/run-results.ts';
import { changesSection, type ChangeState } from './changes.ts';
import { mergeRunResults, readStepResults } from './merge-results.ts';
import { redact } from '../platform/secrets.ts';
import type { ManifestLike } from './lineage.ts';
import type { SourceLinks } from './links.ts';
import { renderReport } from './render-report.ts';
import { writeTargetFile } from '../platform/target-files.ts';

export const REPORT_FILE = 'report.md';
export const MANIFEST_FILE = 'manifest.json';

export interface ReportOptions {
  targetDir: string;
  links?: SourceLinks;
  maxBytes?: number;
  /** Merge the per-step copies in target/steps/ (written by the actions) into run_results.json first. Default false. */
  mergeSteps?: boolean;
  /** A directory with the manifest.json (and run_results.json) of the last successful main-branch run: adds the model changes. */
  compareState?: string;
}

export interface Report {
  results: RunResults;
  markdown: string;
  /** Where report.md was written. */
  file: string;
  /** What could not be added (e.g. table counts without a database), for the log. */
  warnings: string[];
}

/** Counts the published tables (see published-counts.ts); given by entry points that have a database. */
export type TableCounter = (results: RunResults, manifest: ManifestLike | undefined) => Promise<TableCount[]>;

export function readManifest(targetDir: string): ManifestLike | undefined {
  const file = join(targetDir, MANIFEST_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ManifestLike;
  } catch (err) {
    throw new PipelineError(
      `${file} is not valid JSON (${(err as Error).message}). To fix this, rerun the build that writes it, or delete it.`,
    );
  }
}

/** The last run's results, or a clear error when there is none to report. */
export function requireRunResults(targetDir: string): RunResults {
  let results: RunResults | undefined;
  try {
    results = readRunResults(targetDir);
  } catch (err) {
    throw new PipelineError(
      `${join(targetDir, PIPELINE_RESULTS_FILE)} is not valid JSON (${(err as Error).message}). To fix this, rerun the pipeline.`,
    );
  }
  if (!results) {
    throw new PipelineError(
      `no run results in ${targetDir}: ${PIPELINE_RESULTS_FILE} is missing. To fix this, ` +
        `run a stage first (for example 'pipeline daily'), or pass the right --target-dir.`,
    );
  }
  return results;
}

export async function writeReport(options: ReportOptions, countTables?: TableCounter): Promise<Report> {
  const warnings: string[] = [];
  const merged = options.mergeSteps ? mergeRunResults(readStepResults(options.targetDir)) : undefined;
  let results = merged ?? requireRunResults(options.targetDir);
  const manifest = readManifest(options.targetDir);
  if (!results.tables && countTables) {
    try {
      results = { ...results, tables: await countTables(results, manifest) };
    } catch (err) {
      warnings.push(`row counts by layer left out of the report: ${(err as Error).message}`);
    }
  }
  // The artifact then describes what the report shows (merged steps, counts).
  if (merged || results.tables) writeRunResults(options.targetDir, results);
  const extra =
    options.compareState === undefined ? undefined : changesSection(readState(options.compareState), { manifest: manifest ?? {}, results });
  const markdown = redact(renderReport(results, { manifest, links: options.links, maxBytes: options.maxBytes, extra }));
  const file = writeTargetFile(join(options.targetDir, REPORT_FILE), markdown);
  return { results, markdown, file, warnings };
}

/** The state of a previous run (manifest.json, run_results.json), or undefined when the directory holds none. */
export function readState(dir: string): ChangeState | undefined {
  const manifest = readManifest(dir);
  if (!manifest) return undefined;
  return { manifest, results: readRunResults(dir) };
}
