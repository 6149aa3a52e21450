/**
 * How a CLI command is declared: its options (with help text), positionals and the function that
 * runs it. Parsing is node's util.parseArgs in strict mode; help is rendered from the declaration,
 * so `--help` and the parser never disagree.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../../actions/platform/errors.ts';
import type { CliContext } from '../../actions/platform/run-context.ts';

export interface OptionDef {
  type: 'string' | 'boolean';
  /** Placeholder shown in help, e.g. FILE. */
  value?: string;
  help: string;
  required?: boolean;
  multiple?: boolean;
}

export interface PositionalDef {
  name: string;
  help: string;
  choices?: readonly string[];
  required?: boolean;
}

export type ParsedOptions = Record<string, string | boolean | string[] | undefined>;

/** A command as `--help` lists it; its definition is imported only when it is used. */
export interface CommandSpec {
  name: string;
  summary: string;
  load(): Promise<CommandDef>;
}

export interface CommandDef {
  name: string;
  /** Longer text shown by `<command> --help`. */
  description?: string;
  options: Record<string, OptionDef>;
  positionals?: readonly PositionalDef[];
  examples?: readonly string[];
  run(ctx: CliContext, options: ParsedOptions, positionals: string[]): Promise<number>;
}

/** Options every command takes. */
export const COMMON_OPTIONS: Record<string, OptionDef> = {
  'project-dir': {
    type: 'string',
    value: 'DIR',
    help: 'project directory with pipeline.yml or dbt_project.yml (default: current directory)',
  },
  'target-dir': {
    type: 'string',
    value: 'DIR',
    help: 'where artifacts go: manifest.json, run_results.json, report.md (default: target/ in the project)',
  },
  'schema-prefix': {
    type: 'string',
    value: 'P',
    help: 'prefix every schema the run touches with P (or PIPELINE_SCHEMA_PREFIX); runs with different prefixes never meet',
  },
  'wait-lock': {
    type: 'boolean',
    help: 'when another run holds the warehouse lock, wait for it (up to 6 hours) instead of failing at once',
  },
  verbose: { type: 'boolean', help: 'print debug lines' },
  help: { type: 'boolean', help: 'show this help' },
};

export function parseCommandArgs(cmd: CommandDef, argv: string[]): { options: ParsedOptions; positionals: string[] } {
  const all = { ...cmd.options, ...COMMON_OPTIONS };
  const spec: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const [name, def] of Object.entries(all)) spec[name] = def.multiple ? { type: def.type, multiple: true } : { type: def.type };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError(`${describeParseError(err as Error & { code?: string }, cmd)} Run 'pipeline ${cmd.name} --help' for its options.`);
  }
  const options = parsed.values as ParsedOptions;
  if (options.help) return { options, positionals: parsed.positionals };
  const positionals = parsed.positionals;
  const defs = cmd.positionals ?? [];
  if (positionals.length > defs.length) {
    throw new UsageError(
      `'${cmd.name}' does not take the argument '${positionals[defs.length]}'. Run 'pipeline ${cmd.name} --help' for its usage.`,
    );
  }
  defs.forEach((def, i) => {
    const v = positionals[i];
    if (v === undefined && def.required) {
      throw new UsageError(
        `'${cmd.name}' needs ${def.name}${def.choices ? ` (${def.choices.join(' or ')})` : ''}. Run 'pipeline ${cmd.name} --help' for its usage.`,
      );
    }
    if (v !== undefined && def.choices && !def.choices.includes(v)) {
      throw new UsageError(`'${cmd.name} ${v}' is not known: ${def.name} is one of ${def.choices.join(', ')}.`);
    }
  });
  for (const [name, def] of Object.entries(cmd.options)) {
    if (def.required && options[name] === undefined) {
      throw new UsageError(
        `'${cmd.name}' needs --${name} ${def.value ?? ''}`.trimEnd() + `: ${def.help}. Run 'pipeline ${cmd.name} --help' for its usage.`,
      );
    }
    if (def.type === 'string' && typeof options[name] === 'string' && (options[name] as string).startsWith('--')) {
      throw new UsageError(`--${name} needs a value ${def.value ?? ''}, got the option '${options[name]}'.`);
    }
  }
  return { options, positionals };
}

function describeParseError(err: Error & { code?: string }, cmd: CommandDef): string {
  const m = /'(-[^']*)'/.exec(err.message);
  const flag = m?.[1] ?? '';
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${flag.split(/[ =]/)[0]}' for '${cmd.name}'.`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = /--([\w-]+)/.exec(err.message)?.[1] ?? flag;
      const def = { ...cmd.options, ...COMMON_OPTIONS }[name];
      return def?.type === 'boolean' ? `--${name} takes no value.` : `--${name} needs a value${def?.value ? ` ${def.value}` : ''}.`;
    }
    default:
      return err.message.split('\n')[0] ?? 'invalid arguments.';
  }
}

function optionLines(options: Record<string, OptionDef>): string[] {
  const entries = Object.entries(options).map(
    ([name, def]) => [`--${name}${def.value ? ` ${def.value}` : ''}`, def.help + (def.required ? ' (required)' : '')] as const,
  );
  const width = Math.max(...entries.map(([l]) => l.length), 10);
  return entries.map(([l, h]) => `  ${l.padEnd(width)}  ${h}`);
}

export function commandUsage(cmd: CommandDef): string {
  const pos = (cmd.positionals ?? []).map((p) => (p.choices ? p.choices.join('|') : p.name));
  const opts = Object.entries(cmd.options).map(([n, d]) => {
    const text = `--${n}${d.value ? ` ${d.value}` : ''}`;
    return d.required ? text : `[${text}]`;
  });
  return ['pipeline', cmd.name, ...pos, ...opts].join(' ');
}

export function commandHelp(cmd: CommandDef, summary: string): string {
  const lines = [`Usage: ${commandUsage(cmd)}`, '', summary];
  if (cmd.description) lines.push('', cmd.description.trim());
  if (cmd.positionals?.length) {
    lines.push('', 'Arguments:');
    for (const p of cmd.positionals) lines.push(`  ${p.name.padEnd(12)}  ${p.help}`);
  }
  if (Object.keys(cmd.options).length) lines.push('', 'Options:', ...optionLines(cmd.options));
  lines.push('', 'Common options:', ...optionLines(COMMON_OPTIONS));
  if (cmd.examples?.length) lines.push('', 'Examples:', ...cmd.examples.map((e) => `  ${e}`));
  lines.push('', 'Exit codes: 0 success, 1 the pipeline failed, 2 usage or configuration error.');
  return lines.join('\n') + '\n';
}
