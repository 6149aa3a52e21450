/**
 * The import direction of the pipeline (DESIGN.md, "Import direction"):
 *   github adapter → cli → daily → stages → platform
 * A stage's main.ts is its GitHub edge and belongs to the adapter. Checked by `npm run lint:deps`
 * in .ci/run: a cycle or an import against the direction fails the build.
 */
const STAGES = 'actions/(load|seed|transform|publish|report|docs|rollback|cleanup)/';
const MAIN = '^actions/[^/]+/main\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle between modules: one of them belongs lower in the direction.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'platform-imports-nothing-above',
      severity: 'error',
      comment: 'actions/platform is what every stage uses; it knows no stage, job, CLI or GitHub.',
      from: { path: '^actions/platform/' },
      to: { path: '^(actions/(?!platform/)|scripts/)' },
    },
    {
      name: 'stages-import-no-job-cli-or-github',
      severity: 'error',
      comment: 'A stage knows nothing of the jobs that chain it, the CLI or GitHub.',
      from: { path: `^${STAGES}`, pathNot: MAIN },
      to: { path: '^(actions/(daily|github)/|scripts/)' },
    },
    {
      name: 'stages-import-no-other-stage',
      severity: 'error',
      comment:
        'A stage never imports another stage. Two documented exceptions: the transform engine loads seeds as DAG nodes (dbt build does), and the seed loader speaks the project model (types only).',
      from: { path: `^${STAGES}`, pathNot: MAIN },
      to: {
        path: `^${STAGES}`,
        pathNot: ['^actions/$1/', '^actions/seed/(load-seed|run-seeds)\\.ts$', '^actions/transform/project/types\\.ts$'],
      },
    },
    {
      name: 'jobs-import-no-cli-or-github',
      severity: 'error',
      from: { path: '^actions/daily/', pathNot: MAIN },
      to: { path: '^(actions/github/|scripts/)' },
    },
    {
      name: 'cli-imports-no-github',
      severity: 'error',
      from: { path: '^scripts/' },
      to: { path: '^actions/github/|' + MAIN },
    },
    {
      name: 'only-the-adapter-knows-github',
      severity: 'error',
      comment: 'Only actions/github and the stages main.ts import @actions/*.',
      from: { path: '^(actions|scripts)/', pathNot: ['^actions/github/', MAIN] },
      to: { path: 'node_modules/@actions/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // TypeScript 7 has no JavaScript API for the cruiser: swc parses the sources. Type-only
    // imports are kept (and told apart), so a rule can look through them.
    parser: 'swc',
    tsPreCompilationDeps: true,
    exclude: { path: '^(target|tests/fixtures)/' },
  },
};
