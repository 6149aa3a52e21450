/**
 * YAML files read with their positions, so that every problem can name file, line and field.
 * Syntax errors become a ConfigError with the parser's line and column.
 */
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node } from 'yaml';
import { ConfigError, type Location } from './errors.ts';

export interface YamlSource {
  file: string;
  value: unknown;
  /** The location of the node at `path` (or of its closest existing parent). */
  locate(path: readonly (string | number)[]): Location;
}

export function parseYaml(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        const first = (e.message.split('\n')[0] ?? e.message).replace(/\.$/, '');
        return {
          message: `YAML syntax error: ${first}. To fix this, correct the YAML at that line.`,
          location: { file, line: pos.line, column: pos.col },
        };
      }),
    );
  }
  const locate = (path: readonly (string | number)[]): Location => {
    let node: unknown = doc.contents;
    let best: Node | undefined = doc.contents ?? undefined;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
        if (!pair) break;
        // Point at the key: that is the line a user looks for.
        best = (pair.key as Node) ?? best;
        node = pair.value;
        if (node && (node as Node).range && !isScalar(pair.key)) best = node as Node;
      } else if (isSeq(node) && typeof key === 'number') {
        node = node.items[key];
        if (!node) break;
        best = node as Node;
      } else {
        break;
      }
    }
    const offset = best?.range?.[0];
    if (offset === undefined) return { file };
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  return { file, value: doc.toJS({ maxAliasCount: 100 }) as unknown, locate };
}
