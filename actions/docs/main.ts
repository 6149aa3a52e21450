/** The docs action: inputs → `pipeline docs generate` → outputs (the site's directory, for actions/upload-pages-artifact). */
import * as core from '@actions/core';
import { join, resolve } from 'node:path';
import { optionArgs } from '../github/action-args.ts';
import { stringInput } from '../github/action-inputs.ts';
import { ACTION_ENV, readCommonInputs, runAction } from '../github/action-run.ts';
import { CATALOG_FILE } from './catalog.ts';
import { DOCS_DIR } from './generate-docs.ts';

const outcome = await runAction('docs', () => ['docs', 'generate', ...optionArgs({ vars: stringInput('vars') })], {
  printedInSummary: 'text',
});
if (outcome.exitCode === 0) {
  const common = readCommonInputs();
  const target = resolve(process.env[ACTION_ENV.workspace] ?? process.cwd(), common.projectDir, common.targetDir);
  core.setOutput('site-dir', join(target, DOCS_DIR));
  core.setOutput('catalog-path', join(target, CATALOG_FILE));
}
