/** The load action: inputs → `pipeline load` → outputs, annotations, job summary. */
import { booleanInput, stringInput } from '../shared/action-inputs.ts';
import { runAction } from '../shared/action-run.ts';
import { optionArgs } from '../shared/action-args.ts';

await runAction('load', () => ['load', ...optionArgs({
  dump: stringInput('dump'),
  date: stringInput('date'),
  schema: stringInput('schema'),
  threads: stringInput('threads'),
  'with-routines': booleanInput('with-routines', false),
})]);
