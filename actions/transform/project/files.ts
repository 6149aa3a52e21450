/** Finding a project's files: every file with given extensions under a list of directories. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface ProjectFile {
  /** Absolute path. */
  readonly file: string;
  /** Relative to the project root, forward slashes (`models/silver/stg_rooms.sql`). */
  readonly original_file_path: string;
  /** Relative to the search directory it was found under (`silver/stg_rooms.sql`). */
  readonly path: string;
}

export function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/** Files under each directory (relative to root) whose name ends with one of `exts`, sorted. */
export function findFiles(root: string, dirs: readonly string[], exts: readonly string[]): ProjectFile[] {
  const out: ProjectFile[] = [];
  const seen = new Set<string>();
  for (const dir of dirs) {
    const base = join(root, dir);
    if (!existsSync(base)) continue;
    const walk = (d: string) => {
      for (const name of readdirSync(d).sort()) {
        if (name.startsWith('.') || name === 'node_modules') continue;
        const full = join(d, name);
        const st = statSync(full);
        if (st.isDirectory()) walk(full);
        else if (exts.some((e) => name.endsWith(e)) && !seen.has(full)) {
          seen.add(full);
          out.push({ file: full, original_file_path: toPosix(relative(root, full)), path: toPosix(relative(base, full)) });
        }
      }
    };
    walk(base);
  }
  return out;
}

/** `silver/stg_rooms.sql` -> ['silver'] */
export function foldersOf(path: string): string[] {
  const parts = path.split('/');
  parts.pop();
  return parts;
}

export function baseName(path: string): string {
  const last = path.split('/').pop()!;
  const dot = last.lastIndexOf('.');
  return dot > 0 ? last.slice(0, dot) : last;
}
