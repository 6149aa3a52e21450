/**
 * The schedule pauser against a stand-in of GitHub's REST API (a local HTTP server that keeps
 * each workflow's state and refuses what GitHub refuses: no token, a token without actions:
 * write, an unknown workflow), driven through the real Octokit of @actions/github.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { workflowSchedule } from '../../actions/github/workflow-schedule.ts';
import { PipelineError } from '../../actions/platform/errors.ts';

const states = new Map<string, string>();
const requests: string[] = [];
let server: Server;
let baseUrl: string;

before(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const send = (status: number, body?: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    const auth = req.headers.authorization ?? '';
    if (!/^(token|bearer) /i.test(auth)) return send(401, { message: 'Requires authentication' });
    const m = /^\/repos\/([^/]+)\/([^/]+)\/actions\/workflows\/([^/]+?)(\/(enable|disable))?$/.exec(req.url ?? '');
    const key = m ? `${m[1]}/${m[2]}/${decodeURIComponent(m[3]!)}` : '';
    if (!m || !states.has(key)) return send(404, { message: 'Not Found' });
    if (!m[5])
      return req.method === 'GET'
        ? send(200, { id: 1, path: `.github/workflows/${m[3]}`, state: states.get(key) })
        : send(404, { message: 'Not Found' });
    if (req.method !== 'PUT') return send(404, { message: 'Not Found' });
    if (auth.endsWith('read-only')) return send(403, { message: 'Resource not accessible by integration' });
    states.set(key, m[5] === 'disable' ? 'disabled_manually' : 'active');
    send(204);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((r) => server.close(() => r())));

test('pause disables the daily workflow and resume enables it again', async () => {
  states.set('tokyobeta/pipeline/daily-etl.yml', 'active');
  const s = workflowSchedule({ token: 'ghs_x', repository: 'tokyobeta/pipeline', baseUrl });
  await s.pause();
  assert.equal(states.get('tokyobeta/pipeline/daily-etl.yml'), 'disabled_manually');
  await s.resume();
  assert.equal(states.get('tokyobeta/pipeline/daily-etl.yml'), 'active');
  assert.ok(requests.includes('PUT /repos/tokyobeta/pipeline/actions/workflows/daily-etl.yml/disable'));
});

test('a workflow disabled by hand before the cutover stays disabled afterwards', async () => {
  states.set('tokyobeta/pipeline/daily-etl.yml', 'disabled_manually');
  const s = workflowSchedule({ token: 'ghs_x', repository: 'tokyobeta/pipeline', baseUrl });
  await s.pause();
  await s.resume();
  assert.equal(states.get('tokyobeta/pipeline/daily-etl.yml'), 'disabled_manually');
});

test('a token without actions: write or an unknown workflow is a pipeline error that says what to do', async () => {
  states.set('tokyobeta/pipeline/daily-etl.yml', 'active');
  const ro = workflowSchedule({ token: 'ghs_read-only', repository: 'tokyobeta/pipeline', baseUrl });
  await assert.rejects(ro.pause(), (e: Error) => e instanceof PipelineError && /permissions: actions: write/.test(e.message));
  assert.equal(states.get('tokyobeta/pipeline/daily-etl.yml'), 'active');
  const missing = workflowSchedule({ token: 'ghs_x', repository: 'tokyobeta/pipeline', workflow: 'nightly.yml', baseUrl });
  await assert.rejects(missing.pause(), /check the workflow file name \(nightly\.yml\)/);
});
