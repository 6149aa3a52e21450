import { NotImplementedError } from '../../../actions/shared/errors.ts';
import type { CommandDef, ParsedOptions } from '../command.ts';

/**
 * The run function of a command whose stage is not built yet: its options are still read and
 * checked (so misuse gives the right message), then it exits 2 with "not implemented yet".
 */
export function notImplemented(
  name: string,
  readOptions?: (o: ParsedOptions, positionals: string[]) => unknown,
  needsProject = true,
): CommandDef['run'] {
  return async (ctx, options, positionals) => {
    readOptions?.(options, positionals);
    if (needsProject) ctx.config();
    throw new NotImplementedError(name);
  };
}
