import type { CommandDef } from '../command.ts';
import type { ParsedOptions } from '../command.ts';
import type { CliContext } from '../../../actions/platform/run-context.ts';
import { parseChoice } from '../values.ts';
import { redact } from '../../../actions/platform/secrets.ts';
import { requireRunResults, writeReport } from '../../../actions/report/report-stage.ts';
import { linksFromEnv } from '../../../actions/report/links.ts';
import { tableCounter } from '../../../actions/report/published-counts.ts';

export function readReportOptions(o: ParsedOptions): { format: 'md' | 'json' } {
  return Object.freeze({ format: o.format === undefined ? 'md' : parseChoice('format', o.format as string, ['md', 'json'] as const) });
}

/**
 * Writes target/report.md for the run just finished (daily calls it at its end). A report that
 * cannot be written is a warning: it must never change the run's own outcome.
 */
export async function writeRunReport(ctx: CliContext): Promise<void> {
  try {
    const report = await writeReport({ targetDir: ctx.targetDir, links: linksFromEnv(ctx.io.env) }, tableCounter(ctx));
    for (const w of report.warnings) ctx.log.warn(w);
    ctx.log.info(`report written to ${report.file}`);
  } catch (err) {
    ctx.log.warn(`the report could not be written: ${(err as Error).message}. To see the results, run 'pipeline report'.`);
  }
}

export const reportCommand: CommandDef = {
  name: 'report',
  description: `Markdown (the default) is also written to target/report.md: the same text the job summary
of a workflow shows. When the run's results have no row counts, the published tables are counted
(and the counts recorded, for the next report's "change since the previous run"); without a
database the report is rendered without them. File links are GitHub blob URLs when
GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_SHA are set, else paths relative to the project.`,
  options: {
    format: { type: 'string', value: 'FORMAT', help: 'md (default) or json' },
  },
  examples: ['pipeline report', 'pipeline report --format json > results.json'],
  async run(ctx, options) {
    const { format } = readReportOptions(options);
    if (format === 'json') {
      ctx.print(redact(JSON.stringify(requireRunResults(ctx.targetDir), null, 2)));
      return 0;
    }
    const report = await writeReport({ targetDir: ctx.targetDir, links: linksFromEnv(ctx.io.env) }, tableCounter(ctx));
    for (const w of report.warnings) ctx.log.warn(w);
    ctx.print(report.markdown);
    ctx.log.info(`report written to ${report.file}`);
    return 0;
  },
};
