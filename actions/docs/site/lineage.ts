/**
 * The lineage graph: cytoscape.js (the renderer dbt's own docs site uses) on a canvas, with the
 * positions dagre computed when the site was generated (layout.ts), so even 500 nodes draw at
 * once. Pan and zoom with mouse or touch; clicking a node highlights everything upstream and
 * downstream of it (the rest fades) and, in the full graph, shows a card with a link to its
 * page; a double click (or any click in a page's small graph) opens the page.
 *
 * The container's data attributes say what is drawn and highlighted (data-nodes, data-selected,
 * data-upstream, data-downstream), for the browser tests and anyone automating the site.
 */
import cytoscape from 'cytoscape';
import type { DocNode } from './docs-data.ts';

export interface LineageOptions {
  /** The nodes to draw (their parent/child links to nodes outside the set are left out). */
  nodes: readonly DocNode[];
  /** Selected (and highlighted) from the start. */
  focus?: string;
  /** `full`: click selects, double click opens. `mini`: click opens. */
  mode: 'full' | 'mini';
  onOpen(id: string): void;
  onSelect?(id: string | undefined): void;
}

export interface LineageView {
  readonly cy: cytoscape.Core;
  select(id: string | undefined): void;
  /** Where a node is drawn, in page pixels (to click it). */
  pagePosition(id: string): { x: number; y: number } | undefined;
  destroy(): void;
}

const NODE_W = 190;
const NODE_H = 34;

const COLORS: Record<string, string> = {
  source: '#2f855a',
  seed: '#2c7a7b',
  model: '#2b6cb0',
  snapshot: '#6b46c1',
  exposure: '#c05621',
};

/**
 * A page's small graph draws a few nodes whose places in the whole graph are far apart: each
 * keeps its column (its x), and the nodes of a column are stacked closely in their order.
 */
function compactPositions(nodes: readonly DocNode[]): Map<string, { x: number; y: number }> {
  const columns = new Map<number, DocNode[]>();
  for (const n of nodes) columns.set(n.x, [...(columns.get(n.x) ?? []), n]);
  const out = new Map<string, { x: number; y: number }>();
  const xs = [...columns.keys()].sort((a, b) => a - b);
  xs.forEach((x, ci) => {
    const col = columns.get(x)!.sort((a, b) => a.y - b.y);
    col.forEach((n, i) => out.set(n.id, { x: ci * 260, y: (i - (col.length - 1) / 2) * 48 }));
  });
  return out;
}

/** Fits the view to `nodes` from their positions and the fixed node size (labels stay inside). */
function fitTo(cy: cytoscape.Core, container: HTMLElement, nodes: cytoscape.NodeCollection, padding = 24): void {
  if (nodes.empty()) return;
  let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
  nodes.forEach((n) => {
    const p = n.position();
    x1 = Math.min(x1, p.x - NODE_W / 2);
    x2 = Math.max(x2, p.x + NODE_W / 2);
    y1 = Math.min(y1, p.y - NODE_H / 2);
    y2 = Math.max(y2, p.y + NODE_H / 2);
  });
  const w = Math.max(container.clientWidth - 2 * padding, 1);
  const h = Math.max(container.clientHeight - 2 * padding, 1);
  const zoom = Math.min(Math.max(Math.min(w / (x2 - x1), h / (y2 - y1)), cy.minZoom()), cy.maxZoom());
  cy.viewport({
    zoom,
    pan: { x: container.clientWidth / 2 - zoom * ((x1 + x2) / 2), y: container.clientHeight / 2 - zoom * ((y1 + y2) / 2) },
  });
}

export function lineageGraph(container: HTMLElement, o: LineageOptions): LineageView {
  const ids = new Set(o.nodes.map((n) => n.id));
  const compact = o.mode === 'mini' ? compactPositions(o.nodes) : undefined;
  const elements: cytoscape.ElementDefinition[] = [];
  for (const n of o.nodes) {
    elements.push({ group: 'nodes', data: { id: n.id, label: n.name, type: n.type }, position: compact?.get(n.id) ?? { x: n.x, y: n.y } });
  }
  for (const n of o.nodes) {
    for (const p of n.parents) if (ids.has(p)) elements.push({ group: 'edges', data: { id: `${p}->${n.id}`, source: p, target: n.id } });
  }
  const large = o.nodes.length > 150;
  const cy = cytoscape({
    container,
    elements,
    // No fit by cytoscape: it measures every label's rendered box first (a second of a 500-node
    // graph's first frame in the profile); the boxes are known from the positions (fitTo).
    layout: { name: 'preset', fit: false },
    minZoom: 0.02,
    // A page's small graph of two nodes is not blown up to fill its box.
    maxZoom: o.mode === 'mini' ? 1.1 : 3,
    boxSelectionEnabled: false,
    autoungrabify: true,
    // Big graphs: draw a cached texture while panning and zooming instead of every label.
    textureOnViewport: large,
    hideEdgesOnViewport: large,
    style: [
      {
        selector: 'node',
        style: {
          shape: 'round-rectangle',
          width: NODE_W,
          height: NODE_H,
          'background-color': '#4a5568',
          label: 'data(label)',
          color: '#fff',
          'font-size': 12,
          'text-valign': 'center',
          'text-halign': 'center',
          // Ellipsis measures each label again and again while cutting it: only on small graphs.
          'text-max-width': '180px',
          'text-wrap': large ? 'none' : 'ellipsis',
          'min-zoomed-font-size': 6,
        },
      },
      // One selector per type, not a function per node: a mapper function is called for every node on every style pass.
      ...Object.entries(COLORS).map(([type, color]) => ({ selector: `node[type = "${type}"]`, style: { 'background-color': color } })),
      {
        selector: 'edge',
        style: {
          width: 1.5,
          'line-color': '#a0aec0',
          'target-arrow-color': '#a0aec0',
          'target-arrow-shape': large ? 'none' : 'triangle',
          'curve-style': large ? 'haystack' : 'bezier',
          'arrow-scale': 0.8,
        },
      },
      { selector: '.faded', style: { opacity: 0.15 } },
      { selector: 'node.up, node.down', style: { 'border-width': 3, 'border-color': '#f6ad55' } },
      { selector: 'edge.up, edge.down', style: { 'line-color': '#dd6b20', 'target-arrow-color': '#dd6b20', width: 2.5 } },
      { selector: 'node.focus', style: { 'border-width': 4, 'border-color': '#1a202c', 'background-color': '#e53e3e' } },
    ],
  });
  fitTo(cy, container, cy.nodes());
  container.dataset.nodes = String(o.nodes.length);

  function select(id: string | undefined): void {
    cy.batch(() => {
      cy.elements().removeClass('faded up down focus');
      const node = id ? cy.getElementById(id) : undefined;
      if (!node || node.empty()) {
        delete container.dataset.selected;
        delete container.dataset.upstream;
        delete container.dataset.downstream;
        return;
      }
      const up = node.predecessors();
      const down = node.successors();
      cy.elements().not(up).not(down).not(node).addClass('faded');
      up.addClass('up');
      down.addClass('down');
      node.addClass('focus');
      container.dataset.selected = node.id();
      container.dataset.upstream = up
        .nodes()
        .map((n) => n.id())
        .join(' ');
      container.dataset.downstream = down
        .nodes()
        .map((n) => n.id())
        .join(' ');
    });
    o.onSelect?.(id);
  }

  cy.on('tap', 'node', (e) => {
    const id = (e.target as cytoscape.NodeSingular).id();
    if (o.mode === 'mini') o.onOpen(id);
    else select(id);
  });
  cy.on('dbltap', 'node', (e) => o.onOpen((e.target as cytoscape.NodeSingular).id()));
  cy.on('tap', (e) => {
    if (e.target === cy) select(undefined);
  });
  if (o.focus && ids.has(o.focus)) {
    select(o.focus);
    // The selected node with everything up- and downstream of it fills the view.
    if (o.mode === 'full') fitTo(cy, container, cy.elements('node.focus, node.up, node.down'));
  }
  return {
    cy,
    select,
    pagePosition(id) {
      const n = cy.getElementById(id);
      if (n.empty()) return undefined;
      const box = container.getBoundingClientRect();
      const p = n.renderedPosition();
      return { x: box.left + window.scrollX + p.x, y: box.top + window.scrollY + p.y };
    },
    destroy: () => cy.destroy(),
  };
}
