/**
 * Error mapping for the load: a dump that ends early, and a connection lost under the loader,
 * become PipelineErrors that say where and what to do. Anything else is passed on unchanged
 * (worker-pool.ts already names the statement a server error came from).
 */
import { isConnectionLost } from '../platform/db.ts';
import { PipelineError } from '../platform/errors.ts';

export function truncatedDump(
  name: string,
  bytes: number,
  last: { offset: number; line: number; excerpt: string } | undefined,
): PipelineError {
  const where = last ? ` The last statement starts at line ${last.line} (byte offset ${last.offset}): ${last.excerpt}` : '';
  return new PipelineError(
    `${name} is truncated or not a complete mysqldump: it does not end with the '-- Dump completed' trailer (read ${bytes} bytes).${where} The published schema is unchanged. To fix this, fetch the complete dump and run the load again.`,
  );
}

export function loadFailure(err: unknown, source: string, shadow: string): unknown {
  if (!(err instanceof PipelineError) && isConnectionLost(err)) {
    return new PipelineError(
      `lost the database connection while loading ${source} into ${shadow}: ${(err as Error).message}. The published schema is unchanged; the next run removes what is left. To fix this, check the server and run the load again.`,
      { cause: err },
    );
  }
  return err;
}
