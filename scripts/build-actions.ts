/**
 * `npm run build:actions`: bundles each stage's main.ts into actions/<stage>/dist/index.mjs, the
 * `main:` of its action.yml (a JavaScript action on node24: the runner starts node on it with the
 * INPUT_* variables, no shell and no npm ci). The bundles are committed; `.ci/run` rebuilds them
 * and fails when `git diff` shows a difference, so a bundle is always its sources' build.
 *
 * Files the code opens next to itself (`new URL('./x', import.meta.url)`) are found from the
 * bundle too: a data file (the loader's scan-values.wasm) is copied next to it; a worker entry
 * (`*-entry.mjs`, which registers tsx and imports a .ts module) is replaced by a bundle of that
 * module under the same name, since the bundle runs without tsx.
 *
 * The output is deterministic: no timestamps, no absolute paths, inputs in a fixed order, so the
 * same sources always give the same bytes (the check above relies on it).
 */
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
export const STAGES = ['daily', 'load', 'seed', 'transform', 'report', 'docs', 'rollback', 'cleanup'] as const;

/** ESM output still meets CommonJS dependencies that call require() for Node's built-ins, or read __dirname. */
const BANNER = [
  "// Built by `npm run build:actions` from this action's main.ts. Do not edit: edit the sources and rebuild.",
  "import { createRequire as __pipelineCreateRequire } from 'node:module';",
  "import { fileURLToPath as __pipelineFileURLToPath } from 'node:url';",
  'const require = __pipelineCreateRequire(import.meta.url);',
  'const __filename = __pipelineFileURLToPath(import.meta.url);',
  "const __dirname = __pipelineFileURLToPath(new URL('.', import.meta.url));",
].join('\n');

const ASSET = /new URL\(\s*['"](\.\/[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g;

/**
 * Every `new URL('./x', import.meta.url)` of the bundled sources: the file, and where it must sit
 * beside the bundle (the same relative path, since the bundle keeps the URL as written).
 */
function assetsOf(inputs: string[]): Array<{ file: string; path: string }> {
  const found = new Map<string, string>();
  for (const input of inputs) {
    if (input.includes('node_modules') || !/\.[cm]?[jt]s$/.test(input)) continue;
    const file = join(ROOT, input);
    for (const m of readFileSync(file, 'utf8').matchAll(ASSET)) found.set(resolve(dirname(file), m[1]!), m[1]!);
  }
  return [...found].sort(([a], [b]) => a.localeCompare(b)).map(([file, path]) => ({ file, path }));
}

/** A worker entry that registers tsx and imports a .ts module: the module it imports. */
function workerModule(entry: string): string | undefined {
  if (!/\.mjs$/.test(entry)) return undefined;
  const m = /await import\(\s*['"](\.\/[^'"]+\.ts)['"]\s*\)/.exec(readFileSync(entry, 'utf8'));
  return m ? resolve(dirname(entry), m[1]!) : undefined;
}

/** absWorkingDir: the bundle's comments name sources relative to the project, wherever the checkout is. */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  banner: { js: BANNER },
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  absWorkingDir: ROOT,
  charset: 'utf8',
  sourcemap: false,
  minify: false,
} as const;

export async function buildAction(stage: string): Promise<{ file: string; bytes: number; assets: string[] }> {
  const dist = join(ROOT, 'actions', stage, 'dist');
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  const out = join(dist, 'index.mjs');
  const result = await build({ ...common, entryPoints: [join(ROOT, 'actions', stage, 'main.ts')], outfile: out });
  const inputs = Object.keys(result.metafile.inputs).sort();
  const assets = assetsOf(inputs);
  for (const { file: asset, path } of assets) {
    const target = join(dist, path);
    mkdirSync(dirname(target), { recursive: true });
    const worker = workerModule(asset);
    if (worker) {
      await build({ ...common, entryPoints: [worker], outfile: target });
    } else {
      if (!existsSync(asset)) throw new Error(`${relative(ROOT, asset)}, opened by the bundled code, does not exist`);
      copyFileSync(asset, target);
    }
  }
  return { file: out, bytes: readFileSync(out).length, assets: readdirSync(dist, { recursive: true }).map(String).sort() };
}

if (process.argv[1] === import.meta.filename) {
  const only = process.argv.slice(2);
  const started = Date.now();
  // esbuild works on all of them at once; the results print in the fixed order.
  const built = await Promise.all((only.length ? only : STAGES).map((stage) => buildAction(stage)));
  for (const r of built) console.log(`${relative(ROOT, r.file)}: ${(r.bytes / 1e6).toFixed(1)} MB (${r.assets.join(', ')})`);
  console.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
