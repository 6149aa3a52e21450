/** The seed action: inputs → `pipeline seed` → outputs, annotations, job summary. */
import { booleanInput, stringInput } from '../github/action-inputs.ts';
import { runAction } from '../github/action-run.ts';
import { optionArgs } from '../github/action-args.ts';

await runAction('seed', () => [
  'seed',
  ...optionArgs({
    select: stringInput('select'),
    exclude: stringInput('exclude'),
    'full-refresh': booleanInput('full-refresh', false),
    threads: stringInput('threads'),
  }),
]);
