/** The load action: inputs → `pipeline load` → outputs, annotations, job summary. */
import { booleanInput, stringInput } from '../github/action-inputs.ts';
import { runAction } from '../github/action-run.ts';
import { optionArgs } from '../github/action-args.ts';

await runAction('load', () => [
  'load',
  ...optionArgs({
    dump: stringInput('dump'),
    date: stringInput('date'),
    schema: stringInput('schema'),
    threads: stringInput('threads'),
    'with-routines': booleanInput('with-routines', false),
  }),
]);
