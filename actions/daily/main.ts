/**
 * The daily action: inputs → `pipeline deps` (only when the project declares packages: the
 * workflow restores dbt_packages/ from its cache, keyed by package-lock.yml, so this is usually a
 * check that installs nothing) → `pipeline daily` (load, build, test and publish as one
 * write-audit-publish run, so staging is published together with the layers built from it) →
 * outputs, annotations, job summary.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { optionArgs } from '../github/action-args.ts';
import { booleanInput, stringInput } from '../github/action-inputs.ts';
import { ACTION_ENV, readCommonInputs, runAction, runStage } from '../github/action-run.ts';

const PACKAGE_FILES = ['packages.yml', 'dependencies.yml'];

/** `pipeline deps` when the project declares packages; false when it failed (the step has failed then). */
async function installPackages(): Promise<boolean> {
  if (!booleanInput('deps', true)) return true;
  const projectDir = resolve(process.env[ACTION_ENV.workspace] ?? process.cwd(), readCommonInputs().projectDir);
  if (!PACKAGE_FILES.some((f) => existsSync(join(projectDir, f)))) return true;
  return (await runStage('deps', ['deps'], { summary: 'quiet' })).exitCode === 0;
}

function readArgv(): string[] {
  return [
    'daily',
    ...optionArgs({
      dump: stringInput('dump'),
      date: stringInput('date'),
      'dry-run': booleanInput('dry-run', false),
      'with-routines': booleanInput('with-routines', false),
      select: stringInput('select'),
      exclude: stringInput('exclude'),
      state: stringInput('state'),
      'full-refresh': booleanInput('full-refresh', false),
      'wait-lock': booleanInput('wait-lock', false),
      threads: stringInput('threads'),
      vars: stringInput('vars'),
    }),
  ];
}

if (await installPackages()) await runAction('daily', readArgv);
