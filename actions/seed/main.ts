/** The seed action: inputs → `pipeline seed` → outputs, annotations, job summary. */
import { booleanInput, stringInput } from '../shared/action-inputs.ts';
import { runAction } from '../shared/action-run.ts';
import { optionArgs } from '../shared/action-args.ts';

await runAction('seed', () => ['seed', ...optionArgs({
  select: stringInput('select'),
  exclude: stringInput('exclude'),
  'full-refresh': booleanInput('full-refresh', false),
  threads: stringInput('threads'),
})]);
