/**
 * The docs site's app (bundled by esbuild into ../dist/site.js, see ../build-site.ts): reads the
 * data embedded in index.html, draws the header with search, the sidebar of layers, and the page
 * the URL's hash names — `#/` the overview, `#/node/<unique_id>` a node, `#/lineage[/<unique_id>]`
 * the whole graph. Hash routes need no server: the site works opened from disk.
 */
import { DATA_ELEMENT_ID, INTERACTIVE_MARK, type DocNode, type DocsData } from './docs-data.ts';
import { h, nodeHref } from './dom.ts';
import { lineageGraph, type LineageView } from './lineage.ts';
import { renderNodePage } from './node-page.ts';
import { renderOverview } from './overview.ts';
import { SearchIndex } from './search.ts';

declare global {
  interface Window {
    /** The current graph, for the browser tests and anyone automating the site. */
    docs?: { lineage?: LineageView };
  }
}

function start(): void {
  const data = JSON.parse(document.getElementById(DATA_ELEMENT_ID)!.textContent!) as DocsData;
  performance.mark('docs-data-parsed');
  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  const index = new SearchIndex(data.nodes);
  const open = (id: string) => {
    location.hash = nodeHref(id);
  };
  window.docs = {};

  const results = h('ul', { class: 'search-results', id: 'search-results', hidden: true });
  const input = h('input', {
    type: 'search',
    id: 'search',
    placeholder: 'Search models, sources, columns…',
    autocomplete: 'off',
    'aria-label': 'search',
  });
  const main = h('main', { id: 'main' });
  const sidebar = h(
    'nav',
    { id: 'sidebar' },
    data.layers.map((layer) => {
      const members = data.nodes.filter((n) => n.layer === layer);
      return h(
        'details',
        { open: true, 'data-layer': layer },
        h('summary', {}, `${layer} `, h('span', { class: 'muted' }, `(${members.length})`)),
        h(
          'ul',
          {},
          members.map((n) => h('li', {}, h('a', { href: nodeHref(n.id), 'data-id': n.id, class: `kind-${n.type}` }, n.name))),
        ),
      );
    }),
  );
  document
    .getElementById('app')!
    .replaceChildren(
      h(
        'header',
        { id: 'top' },
        h('a', { href: '#/', class: 'brand' }, data.project),
        h('div', { class: 'search' }, input, results),
        h('a', { href: '#/', class: 'navlink' }, 'Overview'),
        h('a', { href: '#/lineage', class: 'navlink' }, 'Lineage'),
      ),
      h('div', { class: 'layout' }, sidebar, main),
    );

  const showResults = () => {
    const hits = index.search(input.value);
    results.replaceChildren(
      ...hits.map((hit) =>
        h(
          'li',
          {},
          h(
            'a',
            { href: nodeHref(hit.node.id), 'data-id': hit.node.id },
            h('strong', {}, hit.node.name),
            h('span', { class: `type ${hit.node.type}` }, hit.node.type),
            h('span', { class: 'why' }, hit.reason),
          ),
        ),
      ),
    );
    if (input.value.trim() && hits.length === 0) results.append(h('li', { class: 'muted' }, 'Nothing matches.'));
    results.hidden = !input.value.trim();
  };
  input.addEventListener('input', showResults);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      const first = index.search(input.value)[0];
      if (first) {
        input.value = '';
        open(first.node.id);
      }
    } else if (e.key === 'Escape') {
      input.value = '';
      showResults();
    }
  });
  results.addEventListener('click', () => {
    input.value = '';
    results.hidden = true;
  });

  performance.mark('docs-shell-built');
  let graph: LineageView | undefined;
  const route = () => {
    graph?.destroy();
    graph = undefined;
    results.hidden = true;
    const hash = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
    for (const a of sidebar.querySelectorAll('a.current')) a.classList.remove('current');
    if (hash.startsWith('node/')) {
      const node = byId.get(hash.slice(5));
      if (node) {
        sidebar.querySelector(`a[data-id="${CSS.escape(node.id)}"]`)?.classList.add('current');
        graph = renderNodePage(main, { data, byId, open }, node);
      } else main.replaceChildren(h('p', {}, `No node ${hash.slice(5)} in this project.`));
    } else if (hash === 'lineage' || hash.startsWith('lineage/')) {
      graph = renderLineagePage(main, data, byId, hash.slice(8) || undefined, open);
    } else {
      renderOverview(main, data);
    }
    window.docs!.lineage = graph;
    main.scrollTop = 0;
    window.scrollTo(0, 0);
  };
  window.addEventListener('hashchange', route);
  route();
  performance.mark('docs-page-built');
  const ready = () =>
    requestAnimationFrame(() => {
      performance.mark(INTERACTIVE_MARK);
      document.body.dataset.ready = 'true';
    });
  // Interactive once the graph (when the page has one) has drawn its first frame.
  if (graph) graph.cy.one('render', ready);
  else ready();
}

function renderLineagePage(
  main: HTMLElement,
  data: DocsData,
  byId: Map<string, DocNode>,
  focus: string | undefined,
  open: (id: string) => void,
): LineageView {
  const card = h('div', { class: 'graph-card', id: 'graph-card', hidden: true });
  const container = h('div', { class: 'full-graph', id: 'full-graph' });
  main.replaceChildren(
    h(
      'article',
      { class: 'lineage-page' },
      h(
        'p',
        { class: 'muted hint' },
        `${data.nodes.length} nodes. Drag to pan, scroll to zoom, click a node to highlight its upstream and downstream, double-click to open it.`,
      ),
      container,
      card,
    ),
  );
  const onSelect = (id: string | undefined) => {
    const n = id ? byId.get(id) : undefined;
    card.hidden = !n;
    if (!n) return;
    card.replaceChildren(
      h('strong', {}, n.name),
      h('span', { class: `type ${n.type}` }, n.type),
      h(
        'span',
        { class: 'muted' },
        ` ${n.parents.length} parent${n.parents.length === 1 ? '' : 's'}, ${n.children.length} child${n.children.length === 1 ? '' : 'ren'}`,
      ),
      h('a', { href: nodeHref(n.id), class: 'open' }, 'Open page →'),
    );
  };
  return lineageGraph(container, { nodes: data.nodes, focus, mode: 'full', onOpen: open, onSelect });
}

try {
  start();
} catch (err) {
  const app = document.getElementById('app');
  if (app) app.replaceChildren(h('p', { class: 'error' }, `The docs site could not start: ${(err as Error).message}`));
  throw err;
}
