import { resolve } from 'node:path';
import type { CommandDef } from '../command.ts';
import type { ParsedOptions } from '../command.ts';
import { parseChoice, parseDate, parseInteger, parsePositiveNumber } from '../values.ts';
import { generateDump } from '../../generate-dump/generate-dump.ts';
import { formatBytes } from '../../../actions/platform/progress.ts';

export interface GenerateDumpOptions {
  out?: string;
  scale: number;
  date: string;
  seed: number;
  flavor: 'mysql8' | 'mariadb';
}

export function readGenerateDumpOptions(o: ParsedOptions): GenerateDumpOptions {
  return Object.freeze({
    out: o.out as string | undefined,
    scale: o.scale === undefined ? 1 : parsePositiveNumber('scale', o.scale as string, 100),
    date: o.date === undefined ? '20260205' : parseDate('date', o.date as string),
    seed: o.seed === undefined ? 1 : parseInteger('seed', o.seed as string, 0, 2 ** 31 - 1),
    flavor: o.flavor === undefined ? 'mysql8' : parseChoice('flavor', o.flavor as string, ['mysql8', 'mariadb'] as const),
  });
}

export const generateDumpCommand: CommandDef = {
  name: 'generate-dump',
  description: `Same seed, scale and date give byte-identical output. --scale 1 is about 945 MB and
59,000 contracts; --scale 0.01 a few MB. A name ending in .gz is gzip-compressed. The world runs on
a fixed clock (history from 2018-02-05); --date cuts it at that day, so the dump of the next day is
this one plus that day's events (new contracts, move-ins and -outs, rent changes, corrections).`,
  options: {
    out: { type: 'string', value: 'FILE[.gz]', help: 'output file (default: gghouse_YYYYMMDD.sql in the current directory)' },
    scale: { type: 'string', value: 'F', help: 'size relative to the vendor dump, greater than 0 (default 1)' },
    date: {
      type: 'string',
      value: 'YYYYMMDD',
      help: 'the dump date, from 20180205: the world as it stands at the end of that day (default 20260205)',
    },
    seed: { type: 'string', value: 'N', help: 'random seed (default 1)' },
    flavor: {
      type: 'string',
      value: 'TOOL',
      help: "whose output to reproduce: mysql8 (mysqldump 8.0, the vendor's) or mariadb (mariadb-dump 10.11) (default mysql8)",
    },
  },
  examples: ['pipeline generate-dump --out /tmp/gghouse_20260205.sql.gz --scale 0.05'],
  async run(ctx, options) {
    const o = readGenerateDumpOptions(options);
    const out = resolve(ctx.io.cwd, o.out ?? `gghouse_${o.date}.sql`);
    // Ctrl-C or a CI cancel stops the run cleanly, so no partial file is left behind.
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const r = await generateDump(
      { out, scale: o.scale, date: o.date, seed: o.seed, flavor: o.flavor, signal: abort.signal },
      ctx.log,
    ).finally(() => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    });
    const rows = r.tables.reduce((n, t) => n + t.rows, 0);
    const empty = r.tables.filter((t) => t.rows === 0).length;
    ctx.log.info(
      `wrote ${r.file}: ${r.tables.length} tables (${empty} empty), ${rows.toLocaleString('en-US')} rows, ` +
        `${formatBytes(r.bytes)} of SQL${r.fileBytes !== r.bytes ? ` (${formatBytes(r.fileBytes)} on disk)` : ''} in ${r.seconds.toFixed(1)}s`,
    );
    ctx.print(r.file);
    return 0;
  },
};
