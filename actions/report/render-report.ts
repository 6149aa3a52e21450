/**
 * The report of a run, as GitHub-flavoured Markdown: what the job summary shows and what
 * target/report.md holds. The job summary accepts at most 1 MiB per step, so the long tables are
 * cut (with a note) until the whole fits; the status line and the failures are never cut. Ordered by
 * what a reader needs first: status, failures, what changed in gold and silver, tests, then the load.
 * https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/workflow-commands-for-github-actions#step-isolation-and-limits
 */
import type { RunResults } from '../platform/run-results.ts';
import { lineageFromManifest, type ManifestLike } from './lineage.ts';
import type { SourceLinks } from './links.ts';
import { byteLength, utcTime } from './markdown.ts';
import {
  failuresSection,
  layersSection,
  loadSection,
  modelsSection,
  publishSection,
  seedsSection,
  statusLine,
  testsSection,
  timelineSection,
} from './sections.ts';
import { historySection } from './history-section.ts';

/** The job summary's limit per step. */
export const JOB_SUMMARY_LIMIT = 1024 * 1024;

export interface RenderOptions {
  /** The manifest of the run (target/manifest.json), for the lineage diagram. */
  manifest?: ManifestLike;
  /** Where file links point (GitHub blob URLs when given, else relative paths). */
  links?: SourceLinks;
  /** Largest report in bytes. Default: the job summary limit minus room for other steps' text. */
  maxBytes?: number;
  /** Markdown put right after the failures (e.g. a pull request's model changes); never cut. */
  extra?: string;
}

/** Row limits tried in turn until the report fits. */
const ROW_LIMITS = [Infinity, 1000, 300, 100, 30, 10, 3];

export function renderReport(results: RunResults, options: RenderOptions = {}): string {
  const maxBytes = options.maxBytes ?? JOB_SUMMARY_LIMIT - 16 * 1024;
  let last = '';
  for (const limit of ROW_LIMITS) {
    for (const [withLineage, withSamples] of [
      [true, true],
      [false, true],
      [false, false],
    ] as const) {
      if (limit !== ROW_LIMITS[ROW_LIMITS.length - 1] && (!withLineage || !withSamples)) continue;
      last = render(results, options, limit, withLineage, withSamples);
      if (byteLength(last) <= maxBytes) return last;
    }
  }
  // Even the shortest form is too long (thousands of failures): still never drop the status or a failure.
  return last;
}

function render(r: RunResults, o: RenderOptions, limit: number, withLineage: boolean, withSamples: boolean): string {
  const sections = [
    `# Pipeline report — ${r.metadata.command}`,
    statusLine(r),
    failuresSection(r, o.links, withSamples),
    o.extra ?? '',
    layersSection(r.tables, limit, r.load),
    historySection(r),
    testsSection(r, limit, o.links, withSamples),
    loadSection(r.load, limit),
    seedsSection(r, limit, o.links),
    modelsSection(r, limit, o.links),
    timelineSection(r),
    withLineage
      ? lineageSection(r, o.manifest)
      : "## Lineage\n\n*The lineage diagram was left out to stay under the job summary's size limit; see manifest.json in the run's artifacts.*",
    publishSection(r),
    `---\n*Run ${r.metadata.invocation_id} · pipeline ${r.metadata.pipeline_version} · generated ${utcTime(r.metadata.generated_at)}*`,
  ];
  return `${sections.filter(Boolean).join('\n\n')}\n`;
}

function lineageSection(r: RunResults, manifest: ManifestLike | undefined): string {
  const lineage = manifest ? lineageFromManifest(manifest, r.results) : undefined;
  const mermaid = lineage?.mermaid ?? r.lineage;
  if (!mermaid) return '';
  const note = lineage?.omitted ? `\n\n*${lineage.omitted} more nodes not drawn (Mermaid cannot render very large graphs).*` : '';
  const title = lineage ? `## Lineage — ${lineage.nodes} nodes, ${lineage.edges} edges` : '## Lineage';
  return `${title}\n\n\`\`\`mermaid\n${mermaid}\n\`\`\`${note}`;
}
