/**
 * Debian's Chromium driven by playwright-core (which downloads no browser of its own), started
 * the way this machine needs: headless, no sandbox (root in a container), and every background
 * service off — this machine has no network, and without those flags Chromium tries to reach
 * out (updates, sync, QUIC probes). A fresh user-data directory per launch, removed at close.
 * CHROMIUM_PATH overrides the binary (e.g. /usr/bin/google-chrome on a GitHub runner).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../helpers/cli.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Where the browser tests put their screenshots (inside target/, which git ignores). */
export const SCREENSHOT_DIR = join(ROOT, 'target', 'test-output', 'docs');

/** Why the browser tests cannot run here, or undefined when they can. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'docs-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What a page did that a self-contained site must not: console errors and warnings, uncaught errors, dialogs, requests leaving the site. */
export interface PageWatch {
  problems: string[];
  requests: string[];
}

/** Watches `page`; `allowed` says which request URLs belong to the site. */
export function watchPage(page: Page, allowed: (url: string) => boolean): PageWatch {
  const w: PageWatch = { problems: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') w.problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => w.problems.push(`uncaught: ${e.message}`));
  page.on('dialog', (d) => {
    w.problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    w.requests.push(r.url());
    if (!allowed(r.url())) w.problems.push(`request leaving the site: ${r.url()}`);
  });
  return w;
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}
