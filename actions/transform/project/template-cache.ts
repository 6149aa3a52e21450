/**
 * target/template-cache.json: the compiled JavaScript of every template, by a hash of its source.
 * Reading a project again compiles only the templates that changed. A missing or unreadable cache
 * only costs time; it is rewritten (atomically) when something new was compiled.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { TemplateCache } from './templating.ts';
import { writeTargetFile } from '../../platform/target-files.ts';

export const TEMPLATE_CACHE_FILE = 'template-cache.json';
const FORMAT = 1;

export interface FileTemplateCache extends TemplateCache {
  /** Writes the entries used by this run, if anything was added. */
  save(): void;
}

export function openTemplateCache(file: string): FileTemplateCache {
  let old: Record<string, string> = {};
  try {
    if (existsSync(file)) {
      const data = JSON.parse(readFileSync(file, 'utf8')) as { format?: number; entries?: Record<string, string> };
      if (data.format === FORMAT && data.entries) old = data.entries;
    }
  } catch {
    old = {};
  }
  const used: Record<string, string> = {};
  let added = false;
  return {
    get(key) {
      const code = old[key];
      if (code !== undefined) used[key] = code;
      return code;
    },
    set(key, code) {
      used[key] = code;
      added = true;
    },
    save() {
      if (!added) return;
      try {
        writeTargetFile(file, JSON.stringify({ format: FORMAT, entries: used }));
      } catch {
        // A cache that cannot be written only makes the next read slower.
      }
    },
  };
}
