/**
 * A local stand-in of the part of GitHub's REST API the failure issue uses (issues: list, create,
 * comment, update), keeping state and the real API's rules that matter here: a token is required
 * (401 without), an issue needs a title (422), an unknown issue is 404. Every call is recorded.
 */
import { createServer, type Server } from 'node:http';

export interface Issue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  comments: string[];
}

export interface GithubApi {
  url: string;
  issues: Issue[];
  calls: string[];
  stop(): Promise<void>;
}

export async function startGithubApi(token: string): Promise<GithubApi> {
  const issues: Issue[] = [];
  const calls: string[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const url = new URL(req.url ?? '/', 'http://x');
      calls.push(`${req.method} ${url.pathname}`);
      if (req.headers.authorization !== `token ${token}` && req.headers.authorization !== `Bearer ${token}`)
        return send(401, { message: 'Bad credentials' });
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const m = /^\/repos\/[^/]+\/[^/]+\/issues(?:\/(\d+))?(\/comments)?$/.exec(url.pathname);
      if (!m) return send(404, { message: 'Not Found' });
      const view = (i: Issue) => ({ number: i.number, title: i.title, body: i.body, state: i.state });
      if (!m[1]) {
        if (req.method === 'GET') return send(200, issues.filter((i) => i.state === (url.searchParams.get('state') ?? 'open')).map(view));
        if (req.method === 'POST') {
          if (typeof body.title !== 'string' || !body.title) return send(422, { message: 'Validation Failed' });
          const issue: Issue = { number: issues.length + 1, title: body.title, body: String(body.body ?? ''), state: 'open', comments: [] };
          issues.push(issue);
          return send(201, view(issue));
        }
      }
      const issue = issues.find((i) => i.number === Number(m[1]));
      if (!issue) return send(404, { message: 'Not Found' });
      if (m[2] && req.method === 'POST') {
        issue.comments.push(String(body.body ?? ''));
        return send(201, { id: issue.comments.length, body: body.body });
      }
      if (!m[2] && req.method === 'PATCH') {
        if (body.state === 'open' || body.state === 'closed') issue.state = body.state;
        return send(200, view(issue));
      }
      return send(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    issues,
    calls,
    stop: () => new Promise((r) => server.close(() => r())),
  };
}
