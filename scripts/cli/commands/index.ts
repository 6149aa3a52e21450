/** Every command of the CLI contract (DESIGN.md), in the order `--help` lists them. */
import type { CommandDef } from '../command.ts';
import { generateDumpCommand } from './generate-dump.ts';
import { loadCommand } from './load.ts';
import { depsCommand } from './deps.ts';
import { seedCommand } from './seed.ts';
import { runCommand } from './run.ts';
import { testCommand } from './test.ts';
import { buildCommand } from './build.ts';
import { compileCommand } from './compile.ts';
import { lsCommand } from './ls.ts';
import { sourceCommand } from './source.ts';
import { snapshotCommand } from './snapshot.ts';
import { dailyCommand } from './daily.ts';
import { inventoryCommand } from './inventory.ts';
import { cleanupCommand } from './cleanup.ts';
import { rollbackCommand } from './rollback.ts';
import { reportCommand } from './report.ts';

export const COMMANDS: readonly CommandDef[] = [
  generateDumpCommand,
  loadCommand,
  depsCommand,
  seedCommand,
  runCommand,
  testCommand,
  buildCommand,
  snapshotCommand,
  compileCommand,
  lsCommand,
  sourceCommand,
  dailyCommand,
  inventoryCommand,
  cleanupCommand,
  rollbackCommand,
  reportCommand,
];
