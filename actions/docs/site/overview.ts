/** The first page: what the warehouse holds, by layer, and the runs the history covers. */
import { statusClass } from './charts.ts';
import type { DocsData } from './docs-data.ts';
import { formatCount, h, nodeHref } from './dom.ts';

export function renderOverview(main: HTMLElement, data: DocsData): void {
  const byType = new Map<string, number>();
  for (const n of data.nodes) byType.set(n.type, (byType.get(n.type) ?? 0) + 1);
  const tests = Object.values(data.tests);
  const failing = tests.filter((t) => ['fail', 'error', 'warn'].includes(t.history.at(-1)?.status ?? ''));
  main.replaceChildren(
    h(
      'article',
      { class: 'overview' },
      h('h1', {}, `${data.project} warehouse`),
      h('p', { class: 'muted' }, `Generated ${data.generatedAt.slice(0, 16).replace('T', ' ')} UTC.`),
      h(
        'ul',
        { class: 'counts' },
        [...byType].map(([t, c]) => h('li', {}, h('strong', {}, formatCount(c)), ` ${t}${c === 1 ? '' : 's'}`)),
        h('li', {}, h('strong', {}, formatCount(tests.length)), ' tests'),
      ),
      h('h2', {}, 'Layers'),
      h(
        'table',
        { class: 'layers' },
        h(
          'tbody',
          {},
          data.layers.map((l) => h('tr', {}, h('td', {}, l), h('td', {}, formatCount(data.nodes.filter((n) => n.layer === l).length)))),
        ),
      ),
      h('h2', {}, `Tests not passing in the latest run (${failing.length})`),
      failing.length
        ? h(
            'ul',
            {},
            failing.map((t) => {
              const on = data.nodes.find((n) => n.tests.includes(t.id));
              return h(
                'li',
                {},
                h('span', { class: `badge ${statusClass(t.history.at(-1)?.status)}` }, t.history.at(-1)!.status),
                ' ',
                on ? h('a', { href: nodeHref(on.id) }, t.name) : t.name,
              );
            }),
          )
        : h('p', { class: 'muted' }, tests.some((t) => t.history.length) ? 'Every test passed.' : 'No test results recorded yet.'),
      h('h2', {}, `Runs in the history (${data.runs.length})`),
      data.runs.length
        ? h(
            'table',
            { class: 'runs' },
            h('thead', {}, h('tr', {}, h('th', {}, 'Started (UTC)'), h('th', {}, 'Command'), h('th', {}, 'Status'), h('th', {}, 'Run id'))),
            h(
              'tbody',
              {},
              [...data.runs]
                .reverse()
                .map((r) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, r.at.slice(0, 19).replace('T', ' ')),
                    h('td', {}, r.command ?? '—'),
                    h(
                      'td',
                      {},
                      h(
                        'span',
                        { class: `badge ${statusClass(r.status === 'success' ? 'pass' : (r.status ?? undefined))}` },
                        r.status ?? '—',
                      ),
                    ),
                    h('td', {}, h('code', {}, r.id)),
                  ),
                ),
            ),
          )
        : h('p', { class: 'muted' }, 'No run recorded yet: the history fills with every daily run.'),
    ),
  );
}
