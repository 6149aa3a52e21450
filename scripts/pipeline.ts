#!/usr/bin/env -S npx tsx
/** The pipeline's command line. The only file that touches the process; see scripts/cli/main.ts. */
import { runCli } from './cli/main.ts';

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
});
