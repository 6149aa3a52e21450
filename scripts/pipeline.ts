#!/usr/bin/env -S npx tsx
/** The pipeline's command line. The only file that touches the process; see scripts/cli/main.ts. */
import { runCli } from './cli/main.ts';

// The AWS SDK prints a multi-line notice about Node versions on every client; it would break the
// one-line errors this CLI promises. (The project runs on Node 20 and 22.)
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
});
