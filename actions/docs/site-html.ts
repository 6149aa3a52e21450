/**
 * index.html of the docs site: one self-contained file — the app's bundle, its style and the
 * data inline. It makes no request at all (so it works opened from disk as well as served over
 * HTTP, and offline), and its Content-Security-Policy allows nothing else: no script but the
 * app's own (by hash), no request to any server. A description that slipped a tag past the
 * Markdown renderer still could not run script or load anything.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_ELEMENT_ID, type DocsData } from './site/docs-data.ts';

export const BUNDLE_FILE = join(import.meta.dirname, 'dist', 'site.js');
export const STYLE_FILE = join(import.meta.dirname, 'site', 'style.css');

function readAsset(file: string): string {
  if (!existsSync(file)) {
    // A missing asset is a bug of the pipeline's checkout (an internal error), not the user's.
    throw new Error(`the docs site's asset ${file} is missing. To fix this, run 'npm run build:docs-site' and commit the result.`);
  }
  return readFileSync(file, 'utf8');
}

/** JSON that is safe inside a <script> element: no `</script>`, no `<!--`. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderSiteHtml(data: DocsData, assets: { js?: string; css?: string } = {}): string {
  // A bundle's own `</script` (in a string) would end the element early.
  const js = (assets.js ?? readAsset(BUNDLE_FILE)).replace(/<\/script/gi, '<\\/script');
  const css = assets.css ?? readAsset(STYLE_FILE);
  const hash = createHash('sha256').update(js).digest('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${hash}'`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.project)} · warehouse docs</title>
<link rel="icon" href="data:,">
<style>${css}</style>
</head>
<body>
<div id="app"><p class="loading">Loading…</p></div>
<script type="application/json" id="${DATA_ELEMENT_ID}">${scriptJson(data)}</script>
<script>${js}</script>
</body>
</html>
`;
}
