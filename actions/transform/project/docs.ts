/**
 * `{% docs name %}...{% enddocs %}` blocks from .md files in model-paths and seed-paths, for
 * `{{ doc('name') }}` in descriptions. Anything else in a .md file is left alone.
 * https://docs.getdbt.com/reference/resource-properties/description#use-a-docs-block-in-a-description
 */
import { readFileSync } from 'node:fs';
import type { Problem } from '../../platform/errors.ts';
import { findFiles, type ProjectFile } from './files.ts';
import type { DocBlock } from './types.ts';

export function readDocs(rootDir: string, dirs: readonly string[], problems: Problem[]): Map<string, DocBlock> {
  const docs = new Map<string, DocBlock>();
  const files: ProjectFile[] = findFiles(rootDir, dirs, ['.md']);
  const block = /\{%-?\s*docs\s+([A-Za-z_][\w]*)\s*-?%\}([\s\S]*?)\{%-?\s*enddocs\s*-?%\}/g;
  for (const f of files) {
    const text = readFileSync(f.file, 'utf8');
    for (const m of text.matchAll(block)) {
      const name = m[1]!;
      if (docs.has(`doc.${name}`)) {
        problems.push({
          message: `docs block '${name}' is defined twice (also in ${docs.get(`doc.${name}`)!.file}).`,
          location: { file: f.original_file_path },
        });
        continue;
      }
      docs.set(`doc.${name}`, { unique_id: `doc.${name}`, name, block_contents: m[2]!.trim(), file: f.original_file_path });
    }
  }
  return docs;
}
