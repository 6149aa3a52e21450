/**
 * A node's page: what it is and where it lives (relation, materialization, rows, size), its
 * description, columns with types and tests, its tests' last results, its history (row counts,
 * freshness, snapshot versions), its lineage (parents, children, a small graph) and its SQL.
 */
import { freshnessChart, resultStrip, rowCountChart, snapshotChart, statusClass } from './charts.ts';
import type { DocNode, DocsData, DocTest } from './docs-data.ts';
import { formatBytes, formatCount, h, nodeHref } from './dom.ts';
import { lineageGraph, type LineageView } from './lineage.ts';
import { renderMarkdown } from './markdown.ts';

export interface PageContext {
  data: DocsData;
  byId: Map<string, DocNode>;
  open(id: string): void;
}

function markdown(text: string, cls = 'markdown'): HTMLElement {
  const div = h('div', { class: cls });
  // The renderer's output: raw HTML off, unsafe links dropped (markdown.ts).
  div.innerHTML = renderMarkdown(text);
  return div;
}

function section(id: string, title: string, ...body: Array<Node | null | false>): HTMLElement {
  return h('section', { id, 'data-testid': id }, h('h2', {}, title), ...body);
}

function testBadge(t: DocTest): HTMLElement {
  const last = t.history.at(-1);
  return h(
    'span',
    { class: `badge test ${statusClass(last?.status)}`, title: last ? `latest result: ${last.status}` : 'no result recorded yet' },
    t.name.replace(/_[0-9a-f]{10}$/, ''),
  );
}

function nodeLink(ctx: PageContext, id: string): HTMLElement {
  const n = ctx.byId.get(id);
  return h('li', {}, h('a', { href: nodeHref(id) }, n?.name ?? id), n ? h('span', { class: `type ${n.type}` }, n.type) : null);
}

function ancestry(ctx: PageContext, id: string, dir: 'parents' | 'children', out = new Set<string>()): Set<string> {
  for (const next of ctx.byId.get(id)?.[dir] ?? []) {
    if (out.has(next)) continue;
    out.add(next);
    ancestry(ctx, next, dir, out);
  }
  return out;
}

/** Renders the page into `main`; returns its graph (to destroy on leaving the page). */
export function renderNodePage(main: HTMLElement, ctx: PageContext, n: DocNode): LineageView | undefined {
  const { data } = ctx;
  const facts: Array<[string, Node | string]> = [];
  if (n.relation) facts.push(['Relation', h('code', {}, n.relation)]);
  if (n.materialized) facts.push(['Materialization', n.materialized]);
  if (n.relationType) facts.push(['Kind in the database', n.relationType]);
  if (n.relation) {
    const rows =
      n.relationType === 'view'
        ? 'a view: not counted'
        : n.rows === null
          ? '—'
          : `${formatCount(n.rows)}${n.rowsExact ? '' : ' (estimate)'}`;
    facts.push(['Rows', rows]);
    facts.push(['Size', formatBytes(n.bytes)]);
    if (!n.relationType) facts.push(['In the database', 'not found: not built yet, or dropped']);
  }
  if (n.file) facts.push(['Defined in', h('code', {}, n.file)]);
  if (n.owner) facts.push(['Owner', n.owner]);
  if (n.url)
    facts.push(['Used at', /^https?:/i.test(n.url) ? h('a', { href: n.url, target: '_blank', rel: 'noopener noreferrer' }, n.url) : n.url]);

  const tests = n.tests.map((t) => data.tests[t]).filter((t): t is DocTest => t !== undefined);
  main.replaceChildren(
    h(
      'article',
      { class: 'node-page', 'data-node': n.id },
      h('header', {}, h('h1', {}, n.name), h('span', { class: `type ${n.type}` }, n.type), h('span', { class: 'layer' }, n.layer)),
      h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      section('description', 'Description', n.description ? markdown(n.description) : h('p', { class: 'muted' }, 'No description.')),
      n.columns.length
        ? section(
            'columns',
            `Columns (${n.columns.length})`,
            h(
              'table',
              { class: 'columns' },
              h('thead', {}, h('tr', {}, h('th', {}, 'Column'), h('th', {}, 'Type'), h('th', {}, 'Description'), h('th', {}, 'Tests'))),
              h(
                'tbody',
                {},
                n.columns.map((c) =>
                  h(
                    'tr',
                    { 'data-column': c.name },
                    h('td', {}, h('code', {}, c.name)),
                    h('td', { class: 'coltype' }, c.type ?? '—'),
                    h('td', {}, c.description ? markdown(c.description, 'markdown inline') : ''),
                    h(
                      'td',
                      {},
                      c.tests
                        .map((t) => data.tests[t])
                        .filter((t): t is DocTest => !!t)
                        .map(testBadge),
                    ),
                  ),
                ),
              ),
            ),
          )
        : null,
      tests.length
        ? section(
            'tests',
            `Tests (${tests.length})`,
            h(
              'table',
              { class: 'tests' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  h('th', {}, 'Test'),
                  h('th', {}, 'Column'),
                  h('th', {}, 'Severity'),
                  h('th', {}, 'Latest'),
                  h('th', {}, 'Last runs'),
                ),
              ),
              h(
                'tbody',
                {},
                tests.map((t) => {
                  const last = t.history.at(-1);
                  return h(
                    'tr',
                    { 'data-test': t.id },
                    h('td', {}, h('code', {}, t.name)),
                    h('td', {}, t.column ?? ''),
                    h('td', {}, t.severity),
                    h('td', {}, h('span', { class: `badge ${statusClass(last?.status)}` }, last?.status ?? 'not run')),
                    h('td', {}, resultStrip(t, data.runs)),
                  );
                }),
              ),
            ),
          )
        : null,
      n.relation && n.relationType !== 'view'
        ? section('row-history', 'Row counts of the last runs', rowCountChart(n.rowHistory, data.runs))
        : null,
      n.freshness.length ? section('freshness', 'Freshness over time', freshnessChart(n.freshness, data.runs)) : null,
      n.snapshotDays.length ? section('snapshot-history', 'Versions opened and closed per day', snapshotChart(n.snapshotDays)) : null,
      section(
        'lineage',
        'Lineage',
        h(
          'div',
          { class: 'kin' },
          h(
            'div',
            { 'data-testid': 'parents' },
            h('h3', {}, `Parents (${n.parents.length})`),
            h(
              'ul',
              {},
              n.parents.map((id) => nodeLink(ctx, id)),
            ),
          ),
          h(
            'div',
            { 'data-testid': 'children' },
            h('h3', {}, `Children (${n.children.length})`),
            h(
              'ul',
              {},
              n.children.map((id) => nodeLink(ctx, id)),
            ),
          ),
        ),
        h('div', { class: 'mini-graph', id: 'mini-graph' }),
        h('p', {}, h('a', { href: `#/lineage/${encodeURIComponent(n.id)}` }, 'Show in the whole lineage graph')),
      ),
      n.rawSql !== null || n.compiledSql !== null
        ? section(
            'sql',
            'SQL',
            n.rawSql !== null ? h('details', { open: true }, h('summary', {}, 'Source'), h('pre', { class: 'sql raw' }, n.rawSql)) : null,
            n.compiledSql !== null
              ? h('details', {}, h('summary', {}, 'Compiled'), h('pre', { class: 'sql compiled' }, n.compiledSql))
              : null,
          )
        : null,
    ),
  );
  const kin = new Set([n.id, ...ancestry(ctx, n.id, 'parents'), ...ancestry(ctx, n.id, 'children')]);
  const graph = main.querySelector<HTMLElement>('#mini-graph')!;
  return lineageGraph(graph, { nodes: data.nodes.filter((x) => kin.has(x.id)), focus: n.id, mode: 'mini', onOpen: ctx.open });
}
