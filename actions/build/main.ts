/**
 * The build action: inputs → `pipeline build` (mode build) or `pipeline daily` (mode daily: load,
 * build, test and publish as one write-audit-publish run, so staging is published together with
 * the layers built from it) → outputs, annotations, job summary.
 */
import { booleanInput, choiceInput, stringInput } from '../shared/action-inputs.ts';
import { runAction } from '../shared/action-run.ts';
import { optionArgs } from '../shared/action-args.ts';

function readArgv(): string[] {
  const mode = choiceInput('mode', ['build', 'daily'] as const, 'build');
  const selection = {
    select: stringInput('select'),
    exclude: stringInput('exclude'),
    state: stringInput('state'),
    'full-refresh': booleanInput('full-refresh', false),
    threads: stringInput('threads'),
    vars: stringInput('vars'),
  };
  if (mode === 'daily') {
    return ['daily', ...optionArgs({
      dump: stringInput('dump'),
      date: stringInput('date'),
      'dry-run': booleanInput('dry-run', false),
      'with-routines': booleanInput('with-routines', false),
      ...selection,
    })];
  }
  return ['build', ...optionArgs({ ...selection, publish: booleanInput('publish', false) })];
}

await runAction('build', readArgv);
