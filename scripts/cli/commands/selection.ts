/**
 * The selection of a model command (`--select`, `--exclude`, `--state`) as the set of unique_ids
 * it names; undefined when nothing was given (every node).
 */
import { UsageError } from '../../../actions/shared/errors.ts';
import type { Project } from '../../../actions/shared/project/types.ts';
import type { ModelCommandOptions } from './build-common.ts';

export function selectedIds(_project: Project, o: ModelCommandOptions): ReadonlySet<string> | undefined {
  if (o.select === undefined && o.exclude === undefined) return undefined;
  throw new UsageError('--select/--exclude need the model engine selection, which this branch does not have yet');
}
