/**
 * Every command of the CLI contract (DESIGN.md), in the order `--help` lists them. Only names
 * and summaries are here: a command's module (and what it imports: the database driver, the AWS
 * SDK, the engine) is imported when that command runs or its help is asked for, so `--help` and
 * `<command> --help` start fast (README: "Start-up").
 */
import type { CommandSpec } from '../command.ts';

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'generate-dump',
    summary: "Write a synthetic mysqldump of the vendor's gghouse database (81 tables), deterministic for a seed.",
    load: async () => (await import('./generate-dump.ts')).generateDumpCommand,
  },
  {
    name: 'load',
    summary: 'Stream a mysqldump (file or S3, plain or gzip) into the staging schema, in parallel, then swap it in atomically.',
    load: async () => (await import('./load.ts')).loadCommand,
  },
  {
    name: 'deps',
    summary: 'Install the packages of packages.yml / dependencies.yml into dbt_packages/ (as dbt deps).',
    load: async () => (await import('./deps.ts')).depsCommand,
  },
  {
    name: 'seed',
    summary: 'Load the CSV seeds into their tables (unchanged seeds are skipped), each swapped in atomically.',
    load: async () => (await import('./seed.ts')).seedCommand,
  },
  {
    name: 'run',
    summary: 'Build the selected models in DAG order: views, tables (swapped atomically), incremental and ephemeral.',
    load: async () => (await import('./run.ts')).runCommand,
  },
  {
    name: 'test',
    summary: 'Run the data tests of the selected nodes: generic tests from YAML, singular SQL tests, source checks.',
    load: async () => (await import('./test.ts')).testCommand,
  },
  {
    name: 'build',
    summary: 'Seeds, models and tests in DAG order; with --publish, build beside the warehouse and publish atomically.',
    load: async () => (await import('./build.ts')).buildCommand,
  },
  {
    name: 'snapshot',
    summary: 'Run the selected snapshots (dbt snapshot): new versions of changed rows; --publish as for build.',
    load: async () => (await import('./snapshot.ts')).snapshotCommand,
  },
  {
    name: 'compile',
    summary: 'Render the selected models to SQL in target/compiled/ without running them.',
    load: async () => (await import('./compile.ts')).compileCommand,
  },
  {
    name: 'ls',
    summary: 'List the selected nodes (dbt ls): as a table, selectors, names, paths or JSON.',
    load: async () => (await import('./ls.ts')).lsCommand,
  },
  {
    name: 'source',
    summary: 'Check the freshness of the selected sources (source freshness); writes target/sources.json.',
    load: async () => (await import('./source.ts')).sourceCommand,
  },
  {
    name: 'daily',
    summary: 'The scheduled job: load the dump into shadow staging, build and test every layer, publish all at once, report.',
    load: async () => (await import('./daily.ts')).dailyCommand,
  },
  {
    name: 'inventory',
    summary:
      'List every schema on the server: tables, views, rows, bytes, last update, and its class (active, legacy, unknown, system); for legacy and unknown ones, the evidence of what they are and a verdict.',
    load: async () => (await import('./inventory.ts')).inventoryCommand,
  },
  {
    name: 'cleanup',
    summary: 'Drop the legacy schemas listed in pipeline.yml (cleanup.legacy); a dry run unless --apply.',
    load: async () => (await import('./cleanup.ts')).cleanupCommand,
  },
  {
    name: 'rollback',
    summary: 'Aurora point-in-time rollback: status, restore into a new cluster, cut over by renaming, or abort (dry runs unless --apply).',
    load: async () => (await import('./rollback.ts')).rollbackCommand,
  },
  {
    name: 'report',
    summary: "Render the last run's results (target/run_results.json) as Markdown or JSON.",
    load: async () => (await import('./report.ts')).reportCommand,
  },
  {
    name: 'docs',
    summary: 'Generate target/catalog.json and the documentation site target/docs/index.html.',
    load: async () => (await import('./docs.ts')).docsCommand,
  },
];
