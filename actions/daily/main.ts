/**
 * The daily action: inputs → `pipeline daily` (load, build, test and publish as one
 * write-audit-publish run, so staging is published together with the layers built from it) →
 * outputs, annotations, job summary.
 */
import { optionArgs } from '../github/action-args.ts';
import { booleanInput, stringInput } from '../github/action-inputs.ts';
import { runAction } from '../github/action-run.ts';

function readArgv(): string[] {
  return [
    'daily',
    ...optionArgs({
      dump: stringInput('dump'),
      date: stringInput('date'),
      'dry-run': booleanInput('dry-run', false),
      'with-routines': booleanInput('with-routines', false),
      select: stringInput('select'),
      exclude: stringInput('exclude'),
      state: stringInput('state'),
      'full-refresh': booleanInput('full-refresh', false),
      'wait-lock': booleanInput('wait-lock', false),
      threads: stringInput('threads'),
      vars: stringInput('vars'),
    }),
  ];
}

await runAction('daily', readArgv);
