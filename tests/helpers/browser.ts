/**
 * Renders report Markdown the way GitHub shows it, in a real browser: markdown-it turns it into
 * HTML (```mermaid fences into <pre class="mermaid">), the page loads mermaid's bundled JS from
 * node_modules (no network), and headless Chromium (Debian's `chromium`) prints the DOM after the
 * diagrams rendered. Returns undefined when no Chromium is installed.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import MarkdownIt from 'markdown-it';
import { ROOT } from './cli.ts';

export const CHROMIUM_CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
].filter(Boolean) as string[];

export function findChromium(): string | undefined {
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p));
}

export function markdownToHtml(markdown: string): string {
  const md = new MarkdownIt({ html: true, linkify: false });
  const fence = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    if (token.info.trim() === 'mermaid') return `<pre class="mermaid">${md.utils.escapeHtml(token.content)}</pre>\n`;
    return fence(tokens, idx, options, env, self);
  };
  const mermaidJs = pathToFileURL(join(ROOT, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js')).href;
  return `<!doctype html><html><head><meta charset="utf-8"><title>report</title>
<script src="${mermaidJs}"></script></head><body><main id="report">${md.render(markdown)}</main>
<script>
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  mermaid.run({ querySelector: 'pre.mermaid' })
    .then(() => { document.body.dataset.mermaid = 'rendered'; })
    .catch((e) => { document.body.dataset.mermaid = 'error: ' + e.message; });
</script></body></html>`;
}

/** The DOM of the rendered report, after Mermaid ran (Chromium's virtual time lets it finish first). */
export async function renderInChromium(markdown: string, chromium: string, screenshot?: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'report-browser-'));
  const page = join(dir, 'report.html');
  writeFileSync(page, markdownToHtml(markdown));
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-dev-shm-usage',
    `--user-data-dir=${join(dir, 'profile')}`,
    '--allow-file-access-from-files',
    '--virtual-time-budget=5000',
  ];
  try {
    if (screenshot) await run(chromium, [...flags, `--screenshot=${screenshot}`, '--window-size=1200,2400', pathToFileURL(page).href]);
    return await run(chromium, [...flags, '--dump-dom', pathToFileURL(page).href]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024, timeout: 90_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} failed: ${err.message}\n${stderr.slice(-2000)}`));
      else resolve(stdout);
    });
  });
}
