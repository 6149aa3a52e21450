import { installPackages } from '../../../actions/transform/packages/install-packages.ts';
import { networkSources } from '../../../actions/transform/packages/network-sources.ts';
import type { CommandDef } from '../command.ts';

export const depsCommand: CommandDef = {
  name: 'deps',
  summary: 'Install the packages of packages.yml / dependencies.yml into dbt_packages/ (as dbt deps).',
  description:
    'Hub packages with version ranges, git (revision, subdirectory), tarball and local packages, with their own\n' +
    'packages, each installed under its own name. package-lock.yml is written, and used while it matches.\n' +
    'Exits 0 when there is nothing to install.',
  options: {},
  examples: ['pipeline deps --project-dir integration_tests'],
  async run(ctx) {
    const started = Date.now();
    const installed = await installPackages(ctx.projectDir, {
      sources: networkSources(),
      installPath: ctx.config().packagesInstallPath,
      log: (m) => ctx.log.info(m),
    });
    if (installed.length > 0) ctx.log.info(`installed ${installed.length} package(s) in ${Date.now() - started}ms`);
    return 0;
  },
};
