/**
 * `docs generate`: as `dbt docs generate` — the project compiled (target/manifest.json,
 * target/compiled/), target/catalog.json read from the database, and a static documentation site
 * in target/docs/ with the warehouse's run history. The site is one self-contained index.html.
 */
import { generateDocs } from '../../../actions/docs/generate-docs.ts';
import { buildManifest, writeCompiled, writeManifest } from '../../../actions/transform/project/artifacts.ts';
import { compileNode } from '../../../actions/transform/project/compile.ts';
import { publishedResolver } from '../../../actions/transform/project/resolver.ts';
import { PIPELINE_VERSION } from '../../../actions/transform/results.ts';
import { errorMessage } from '../../../actions/platform/errors.ts';
import type { CommandDef } from '../command.ts';
import { loadProject, readModelOptions } from './model-options.ts';

export const docsCommand: CommandDef = {
  name: 'docs',
  description: `The site shows every model, source, seed, snapshot and exposure by layer: descriptions,
columns with their types and tests, SQL, lineage, and the history of the last 30 runs (row
counts, test results, source freshness, snapshot versions) from the metadata schema. It is one
self-contained file: open it from disk or serve target/docs/ over HTTP; it makes no request.`,
  positionals: [{ name: 'ACTION', help: 'generate', choices: ['generate'], required: true }],
  options: {
    vars: { type: 'string', value: 'YAML', help: 'project vars, e.g. "{as_of_date: \'2026-02-05\'}"' },
  },
  examples: ['pipeline docs generate && open target/docs/index.html', 'pipeline docs generate --target-dir site-build'],
  async run(ctx, options) {
    const project = loadProject(ctx, readModelOptions(options));
    const resolver = publishedResolver(ctx.schemas());
    let failed = 0;
    for (const node of project.nodes.values()) {
      if (node.resource_type !== 'model') continue;
      try {
        writeCompiled(ctx.targetDir, project, node, compileNode(project, node.unique_id, resolver));
      } catch (err) {
        failed++;
        ctx.log.warn(`${node.name}: not compiled, the site shows its source only: ${errorMessage(err)}`);
      }
    }
    writeManifest(ctx.targetDir, buildManifest(project, { resolver }));
    const r = await generateDocs({
      db: await ctx.db(),
      targetDir: ctx.targetDir,
      metaSchema: ctx.schemas().meta,
      log: ctx.log,
      version: PIPELINE_VERSION,
    });
    if (failed) ctx.log.warn(`${failed} model(s) could not be compiled; run 'pipeline compile' to see why`);
    ctx.print(`catalog: ${r.catalogFile}\nsite:    ${r.siteFile}`);
    return 0;
  },
};
