/**
 * `{% docs name %}...{% enddocs %}` blocks from .md files in model-paths and seed-paths, for
 * `{{ doc('name') }}` in descriptions. Anything else in a .md file is left alone.
 * https://docs.getdbt.com/reference/resource-properties/description#use-a-docs-block-in-a-description
 */
import type { Problem } from '../../platform/errors.ts';
import type { TextFile } from './project-files.ts';
import type { DocBlock } from './types.ts';

/** The docs blocks of the .md files read (pure: the files were read by project-files.ts). */
export function parseDocs(files: readonly TextFile[], problems: Problem[]): Map<string, DocBlock> {
  const docs = new Map<string, DocBlock>();
  const block = /\{%-?\s*docs\s+([A-Za-z_][\w]*)\s*-?%\}([\s\S]*?)\{%-?\s*enddocs\s*-?%\}/g;
  for (const f of files) {
    const text = f.text;
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
