/**
 * Builds the docs site's bundle: site/app.ts with cytoscape and markdown-it into one minified
 * script, dist/site.js, committed. Committed so that `docs generate` needs nothing at run time
 * but Node (no bundler in the scheduled job); tests/docs/site-bundle.test.ts checks that the
 * committed file is this build of the committed sources. Run `npm run build:docs-site` after
 * changing site/.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_FILE } from './site-html.ts';

export const SITE_ENTRY = join(import.meta.dirname, 'site', 'app.ts');

/** The bundle's text; deterministic for the same sources and esbuild version. */
export async function buildSiteBundle(): Promise<string> {
  const result = await build({
    entryPoints: [SITE_ENTRY],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    // The libraries' license headers stay in the bundle (it is redistributed with the site).
    legalComments: 'eof',
    charset: 'utf8',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await buildSiteBundle();
  writeFileSync(BUNDLE_FILE, text);
  console.log(`wrote ${BUNDLE_FILE} (${(text.length / 1024).toFixed(0)} KiB)`);
}
