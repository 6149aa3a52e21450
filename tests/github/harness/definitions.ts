/**
 * Workflow and action files read by GitHub's own parser (@actions/workflow-parser): the schema
 * the service validates against, and the token tree with each `${{ }}` as an expression token. A
 * file the parser rejects fails the harness with the parser's messages. Keys the parser's model
 * does not carry (a step's `with`, `shell`, `working-directory`; a job's `timeout-minutes`) are
 * read from the same validated token tree.
 */
import { convertWorkflowTemplate, isMapping, isSequence, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { convertActionTemplate, parseAction, type ActionTemplate } from '@actions/workflow-parser/actions/index';
import type { Job, WorkflowTemplate } from '@actions/workflow-parser/model/workflow-template';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A step as the runner sees it: the parsed `if` (with success() added) and the raw keys. */
export interface StepDef {
  id: string;
  /** The id written in the file (the parser invents `__run` and the like for the others). */
  declaredId?: string;
  name?: string;
  if: string;
  uses?: string;
  run?: TemplateToken;
  env?: TemplateToken;
  with?: TemplateToken;
  shell?: string;
  workingDirectory?: TemplateToken;
  continueOnError: boolean;
}

export interface JobDef {
  id: string;
  if: string;
  env?: TemplateToken;
  environment?: TemplateToken;
  concurrency?: TemplateToken;
  timeoutMinutes?: number;
  needs: string[];
  steps: StepDef[];
  raw: MappingToken;
}

export interface WorkflowDef {
  file: string;
  template: WorkflowTemplate;
  env?: TemplateToken;
  jobs: Map<string, JobDef>;
  raw: MappingToken;
}

export function mappingGet(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  if (!token || !isMapping(token)) return undefined;
  for (let i = 0; i < token.count; i++) {
    const pair = token.get(i);
    if (String((pair.key as unknown as { value: unknown }).value) === key) return pair.value;
  }
  return undefined;
}

function literal(token: TemplateToken | undefined): string | undefined {
  const v = (token as unknown as { value?: unknown } | undefined)?.value;
  return v === undefined ? undefined : String(v);
}

function problems(context: { errors: { getErrors(): Array<{ message: string }> } }, file: string): void {
  const errors = context.errors.getErrors();
  if (errors.length) throw new Error(`${file}: the workflow parser rejects it:\n${errors.map((e) => `  ${e.message}`).join('\n')}`);
}

function stepsOf(
  converted: Array<{
    id: string;
    if?: { expression: string };
    uses?: { value: string };
    run?: TemplateToken;
    env?: TemplateToken;
    name?: TemplateToken;
    'continue-on-error'?: unknown;
  }>,
  raw: TemplateToken | undefined,
): StepDef[] {
  if (!raw || !isSequence(raw)) return [];
  return converted.map((s, i) => {
    const r = raw.get(i);
    return {
      id: s.id,
      declaredId: literal(mappingGet(r, 'id')),
      name: literal(mappingGet(r, 'name')),
      if: s.if?.expression ?? 'success()',
      uses: s.uses?.value,
      run: s.run,
      env: s.env,
      with: mappingGet(r, 'with'),
      shell: literal(mappingGet(r, 'shell')),
      workingDirectory: mappingGet(r, 'working-directory'),
      continueOnError: literal(mappingGet(r, 'continue-on-error')) === 'true',
    };
  });
}

export async function loadWorkflow(root: string, file: string): Promise<WorkflowDef> {
  const path = join(root, '.github', 'workflows', file);
  const name = relative(root, path);
  const parsed = parseWorkflow({ name, content: readFileSync(path, 'utf8') }, new NoOperationTraceWriter());
  problems(parsed.context, name);
  const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
  problems(parsed.context, name);
  const raw = parsed.value as MappingToken;
  const rawJobs = mappingGet(raw, 'jobs');
  const jobs = new Map<string, JobDef>();
  for (const j of template.jobs) {
    if (j.type !== 'job') throw new Error(`${name}: job ${j.id.value} calls a reusable workflow; the harness runs plain jobs`);
    const job = j as Job;
    const rawJob = mappingGet(rawJobs, job.id.value) as MappingToken;
    const timeout = literal(mappingGet(rawJob, 'timeout-minutes'));
    jobs.set(job.id.value, {
      id: job.id.value,
      if: job.if?.expression ?? 'success()',
      env: job.env,
      environment: job.environment,
      concurrency: mappingGet(rawJob, 'concurrency'),
      timeoutMinutes: timeout === undefined ? undefined : Number(timeout),
      needs: (job.needs ?? []).map((n) => n.value),
      steps: stepsOf(job.steps as never, mappingGet(rawJob, 'steps')),
      raw: rawJob,
    });
  }
  return { file, template, env: mappingGet(raw, 'env'), jobs, raw };
}

export interface ActionDef {
  dir: string;
  template: ActionTemplate;
  /** Composite actions: their steps. */
  steps: StepDef[];
  /** Output name → its `value:` token (composite actions). */
  outputValues: Map<string, TemplateToken | undefined>;
}

export function loadAction(dir: string): ActionDef {
  const name = join(dir, 'action.yml');
  const parsed = parseAction({ name, content: readFileSync(name, 'utf8') }, new NoOperationTraceWriter());
  problems(parsed.context, name);
  const template = convertActionTemplate(parsed.context, parsed.value!);
  problems(parsed.context, name);
  const runs = mappingGet(parsed.value!, 'runs');
  const steps = template.runs.using === 'composite' ? stepsOf(template.runs.steps as never, mappingGet(runs, 'steps')) : [];
  const outputValues = new Map((template.outputs ?? []).map((o) => [o.id, o.value as TemplateToken | undefined]));
  return { dir, template, steps, outputValues };
}
