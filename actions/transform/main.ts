/**
 * The transform action: inputs → `pipeline build` (seeds, models and tests in DAG order; with
 * `publish`, built beside the warehouse and swapped in atomically) → outputs, annotations, job
 * summary.
 */
import { optionArgs } from '../github/action-args.ts';
import { booleanInput, stringInput } from '../github/action-inputs.ts';
import { runAction } from '../github/action-run.ts';

function readArgv(): string[] {
  return [
    'build',
    ...optionArgs({
      select: stringInput('select'),
      exclude: stringInput('exclude'),
      state: stringInput('state'),
      'full-refresh': booleanInput('full-refresh', false),
      threads: stringInput('threads'),
      vars: stringInput('vars'),
      publish: booleanInput('publish', false),
    }),
  ];
}

await runAction('build', readArgv);
