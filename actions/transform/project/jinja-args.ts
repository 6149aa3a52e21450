/**
 * How nunjucks passes arguments: positional values, then (when any were given) one object of
 * keyword arguments marked `__keywords`. Every JavaScript function a template calls splits them
 * the same way here.
 */

export const isKeywords = (a: unknown): a is Record<string, unknown> =>
  a !== null && typeof a === 'object' && (a as { __keywords?: boolean }).__keywords === true;

/** Positional and keyword arguments of a nunjucks call. */
export function splitArgs(args: readonly unknown[]): { positional: unknown[]; keywords: Record<string, unknown> } {
  const last = args[args.length - 1];
  if (!isKeywords(last)) return { positional: [...args], keywords: {} };
  const keywords = { ...last };
  delete keywords.__keywords;
  return { positional: args.slice(0, -1), keywords };
}
