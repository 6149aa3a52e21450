import type { CommandDef } from '../command.ts';
import { notImplemented } from './not-implemented.ts';
import type { ParsedOptions } from '../command.ts';
import { parseDate, parseInteger, parsePositiveNumber } from '../values.ts';

export interface GenerateDumpOptions {
  out?: string;
  scale: number;
  date: string;
  seed: number;
}

export function readGenerateDumpOptions(o: ParsedOptions): GenerateDumpOptions {
  return Object.freeze({
    out: o.out as string | undefined,
    scale: o.scale === undefined ? 1 : parsePositiveNumber('scale', o.scale as string, 100),
    date: o.date === undefined ? '20260205' : parseDate('date', o.date as string),
    seed: o.seed === undefined ? 1 : parseInteger('seed', o.seed as string, 0, 2 ** 31 - 1),
  });
}

export const generateDumpCommand: CommandDef = {
  name: 'generate-dump',
  summary: "Write a synthetic mysqldump of the vendor's gghouse database (81 tables), deterministic for a seed.",
  description: `Same seed, scale and date give byte-identical output. --scale 1 is about 945 MB and
59,000 contracts; --scale 0.01 a few MB. A name ending in .gz is gzip-compressed.`,
  options: {
    out: { type: 'string', value: 'FILE[.gz]', help: 'output file (default: gghouse_YYYYMMDD.sql in the current directory)' },
    scale: { type: 'string', value: 'F', help: 'size relative to the vendor dump, greater than 0 (default 1)' },
    date: { type: 'string', value: 'YYYYMMDD', help: 'the dump date: nothing after it has happened (default 20260205)' },
    seed: { type: 'string', value: 'N', help: 'random seed (default 1)' },
  },
  examples: ['pipeline generate-dump --out /tmp/gghouse_20260205.sql.gz --scale 0.05'],
  run: notImplemented('generate-dump', readGenerateDumpOptions, false),
};
