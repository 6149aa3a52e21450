/**
 * The cleanup action: inputs → `pipeline cleanup` → outputs and job summary. A dry run (the list
 * of what would be archived and dropped) unless dry-run is false and confirm is 'apply'. Applying
 * needs a durable archive (s3://...): a directory on the runner, or an Actions artifact with its
 * limited retention, would be the only copy of a dropped schema.
 */
import { readApply, stringInput } from '../github/action-inputs.ts';
import { runAction } from '../github/action-run.ts';
import { optionArgs } from '../github/action-args.ts';
import { UsageError } from '../platform/errors.ts';

await runAction(
  'cleanup',
  () => {
    const archiveTo = stringInput('archive-to');
    const apply = readApply('cleanup');
    if (apply && !archiveTo?.startsWith('s3://')) {
      throw new UsageError(
        `cleanup with confirm 'apply' needs a durable archive, and archive-to is ${archiveTo ? `'${archiveTo}'` : 'empty'}: a directory on the runner is deleted with it. To fix this, set archive-to to s3://bucket/prefix/ (in the workflow: the repository variable PIPELINE_ARCHIVE_PREFIX). Nothing was changed.`,
      );
    }
    return ['cleanup', ...optionArgs({ 'archive-to': archiveTo, apply })];
  },
  {
    printedInSummary: 'markdown',
    summary: 'short',
    actionsWording: [['run with --apply to do it', "to do it, run the workflow again with dry-run unticked and confirm 'apply'"]],
  },
);
