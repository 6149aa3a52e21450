/**
 * The CLI: finds the command, parses its options, runs it, and maps every error to one clear
 * line and an exit code (0 success, 1 pipeline failed, 2 usage or configuration error). It takes
 * argv and streams as arguments; only scripts/pipeline.ts touches the process.
 *
 * Start-up is kept short: what every run needs is imported here; a command's module, the run
 * context (the database driver, config, YAML) and the AWS SDK only when a command runs.
 */
import { ConfigError, exitCodeOf, formatProblem, isExpected, errorMessage } from '../../actions/platform/errors.ts';
import { createLogger } from '../../actions/platform/log.ts';
import { explainDbFailure } from '../../actions/platform/db-errors.ts';
import { redact, registerSecretsFromEnv } from '../../actions/platform/secrets.ts';
import { commandHelp, parseCommandArgs } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import type { CliContext, CliIo } from '../../actions/platform/run-context.ts';

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: pipeline <command> [options]     (npx tsx scripts/pipeline.ts, or npm run pipeline --)',
    '',
    'The tokyobeta pipeline: vendor dump -> staging -> seeds -> silver -> gold, tested and published atomically.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'pipeline <command> --help' for a command's options.",
    '',
    'Database: DATABASE_URL, e.g. mysql://user:pass@host:3306 (default mysql://root@127.0.0.1:3306).',
    'Schema prefix: --schema-prefix P or PIPELINE_SCHEMA_PREFIX.',
    'Exit codes: 0 success, 1 the pipeline failed, 2 usage or configuration error.',
    '',
  ].join('\n');
}

function suggest(name: string): string {
  const close = COMMANDS.map((c) => c.name).filter((c) => c.startsWith(name.slice(0, 2)) || c.includes(name));
  return close.length ? ` Did you mean '${close[0]}'?` : '';
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  registerSecretsFromEnv(io.env);
  const fail = (message: string, code: 1 | 2) => {
    io.stderr.write(`${redact(message)}\n`);
    return code;
  };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const spec = topic ? COMMANDS.find((c) => c.name === topic) : undefined;
    io.stdout.write(spec ? commandHelp(await spec.load(), spec.summary) : mainHelp());
    return name === undefined ? 2 : 0;
  }
  const spec = COMMANDS.find((c) => c.name === name);
  if (!spec) {
    return fail(
      name.startsWith('-')
        ? `error: expected a command before '${name}'. Run 'pipeline --help' for the commands.`
        : `error: unknown command '${name}'.${suggest(name)} Run 'pipeline --help' for the commands.`,
      2,
    );
  }
  let ctx: CliContext | undefined;
  try {
    const cmd = await spec.load();
    const { options, positionals } = parseCommandArgs(cmd, rest);
    if (options.help) {
      io.stdout.write(commandHelp(cmd, spec.summary));
      return 0;
    }
    const log = createLogger(io.stderr, { verbose: options.verbose === true });
    const { createContext } = await import('../../actions/platform/run-context.ts');
    ctx = createContext(io, log, options);
    return await cmd.run(ctx, options, positionals);
  } catch (err) {
    if (err instanceof ConfigError) {
      const lines = err.problems.map((p) => `error: ${formatProblem(p)}`);
      return fail(lines.join('\n'), 2);
    }
    if (isExpected(err)) return fail(`error: ${err.message}`, exitCodeOf(err));
    const dbFailure = explainDbFailure(err);
    if (dbFailure) return fail(`error: ${dbFailure.message}`, 1);
    // Anything else is a bug: say so, with the stack, so it can be fixed.
    const stack = err instanceof Error && err.stack ? `\n${err.stack}` : '';
    return fail(`internal error (a bug in the pipeline, please report it): ${errorMessage(err)}${stack}`, 1);
  } finally {
    await ctx?.dispose();
  }
}
