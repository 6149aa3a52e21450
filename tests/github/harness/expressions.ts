/**
 * `${{ }}` for the workflow harness, evaluated by GitHub's own expression engine
 * (@actions/expressions: the lexer, parser and evaluator the Actions language services use), over
 * template tokens parsed by @actions/workflow-parser. Only the runner's own functions are added
 * here, as the runner adds them: the job-status ones (success, always, failure, cancelled) and
 * hashFiles (the SHA-256 of the matching files' SHA-256s, in path order; '' when none matches).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { truthy } from '@actions/expressions/result';
import { isBasicExpression, isBoolean, isMapping, isNumber, isSequence, isString } from '@actions/workflow-parser';
import { NullToken } from '@actions/workflow-parser/templates/tokens/index';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';

export const CONTEXT_NAMES = ['github', 'env', 'vars', 'secrets', 'inputs', 'steps', 'job', 'runner', 'needs', 'matrix', 'strategy'];

/** What the status functions see: whether an earlier step of the job (or composite action) failed. */
export interface Status {
  failed: boolean;
  cancelled?: boolean;
}

export type Contexts = Record<string, unknown>;

/** A glob of hashFiles (`*`, `**`, `?`) as a regular expression over paths relative to the workspace. */
function globPattern(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function filesUnder(dir: string, root: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    if (name === '.git' || name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) filesUnder(path, root, out);
    else out.push(relative(root, path));
  }
  return out;
}

/** The runner's hashFiles over the job's workspace. */
function hashFiles(workspace: string, globs: string[]): string {
  const patterns = globs.map(globPattern);
  const files = filesUnder(workspace, workspace, [])
    .filter((f) => patterns.some((p) => p.test(f)))
    .sort();
  if (files.length === 0) return '';
  const all = createHash('sha256');
  for (const f of files)
    all.update(
      createHash('sha256')
        .update(readFileSync(join(workspace, f)))
        .digest(),
    );
  return all.digest('hex');
}

function statusFunctions(status: Status, workspace?: string): Map<string, FunctionDefinition> {
  const fn = (name: string, value: () => boolean): [string, FunctionDefinition] => [
    name,
    { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value()) },
  ];
  // The evaluator looks functions up by their lower-cased name.
  const hash: [string, FunctionDefinition] = [
    'hashfiles',
    {
      name: 'hashFiles',
      minArgs: 1,
      maxArgs: 255,
      call: (...args: data.ExpressionData[]) => {
        if (!workspace) throw new Error('hashFiles needs the job workspace (github.workspace)');
        return new data.StringData(
          hashFiles(
            workspace,
            args.map((a) => String(toPlain(a))),
          ),
        );
      },
    },
  ];
  return new Map([
    hash,
    fn('success', () => !status.failed && !status.cancelled),
    fn('always', () => true),
    fn('failure', () => status.failed),
    fn('cancelled', () => status.cancelled === true),
  ]);
}

function toData(value: unknown): data.ExpressionData {
  return JSON.parse(JSON.stringify(value ?? null), data.reviver) as data.ExpressionData;
}

function toPlain(d: data.ExpressionData): unknown {
  return JSON.parse(JSON.stringify(d, data.replacer));
}

/** Evaluates one expression (without `${{ }}`) to its expression data. */
export function evaluateExpression(expression: string, contexts: Contexts, status: Status = { failed: false }): data.ExpressionData {
  const workspace = (contexts.github as { workspace?: string } | undefined)?.workspace;
  const functions = statusFunctions(status, workspace);
  const tokens = new Lexer(expression).lex().tokens;
  const ast = new Parser(tokens, CONTEXT_NAMES, [...functions.values()]).parse();
  const dict = new data.Dictionary();
  for (const name of CONTEXT_NAMES) dict.add(name, toData(contexts[name] ?? {}));
  return new Evaluator(ast, dict, functions).evaluate();
}

/** An `if:` condition (the parser has already wrapped it in `success() && (...)` where needed). */
export function evaluateCondition(expression: string, contexts: Contexts, status: Status): boolean {
  return truthy(evaluateExpression(expression, contexts, status));
}

/** A token's value, expressions evaluated: a string stays a string, a mapping becomes an object. */
export function evaluateToken(token: TemplateToken | undefined, contexts: Contexts, status: Status = { failed: false }): unknown {
  if (token === undefined || token instanceof NullToken) return null;
  if (isBasicExpression(token)) return toPlain(evaluateExpression(token.expression, contexts, status));
  if (isString(token)) return token.value;
  if (isBoolean(token)) return token.value;
  if (isNumber(token)) return token.value;
  if (isSequence(token)) {
    const out: unknown[] = [];
    for (let i = 0; i < token.count; i++) out.push(evaluateToken(token.get(i), contexts, status));
    return out;
  }
  if (isMapping(token)) {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < token.count; i++) {
      const pair = token.get(i);
      out[String(evaluateToken(pair.key, contexts, status))] = evaluateToken(pair.value, contexts, status);
    }
    return out;
  }
  throw new Error(`the harness cannot evaluate a ${token.typeName()} token`);
}

/** As the runner turns a value into an input or environment variable: strings as they are, the rest as JSON-ish text. */
export function asString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** A mapping token as strings (env:, with:). */
export function evaluateStringMap(token: TemplateToken | undefined, contexts: Contexts, status?: Status): Record<string, string> {
  const v = evaluateToken(token, contexts, status);
  if (v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new Error('expected a mapping');
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, asString(x)]));
}
