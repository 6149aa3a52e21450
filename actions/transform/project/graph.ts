/**
 * The DAG: parent_map/child_map from depends_on, cycle detection that names the cycle, a
 * topological order, and "did you mean" suggestions for unknown names.
 */

export function buildMaps(dependsOn: ReadonlyMap<string, readonly string[]>): {
  parent_map: Record<string, string[]>;
  child_map: Record<string, string[]>;
} {
  const parent_map: Record<string, string[]> = {};
  const child_map: Record<string, string[]> = {};
  for (const id of dependsOn.keys()) {
    parent_map[id] = [];
    child_map[id] = [];
  }
  for (const [id, parents] of dependsOn) {
    for (const p of parents) {
      if (!parent_map[id]!.includes(p)) parent_map[id]!.push(p);
      child_map[p] ??= [];
      parent_map[p] ??= [];
      if (!child_map[p]!.includes(id)) child_map[p]!.push(id);
    }
  }
  for (const list of [...Object.values(parent_map), ...Object.values(child_map)]) list.sort();
  return { parent_map, child_map };
}

/** Every cycle's path (first node repeated at the end), found by depth-first search. */
export function findCycles(parent_map: Readonly<Record<string, readonly string[]>>): string[][] {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (id: string) => {
    state.set(id, 1);
    stack.push(id);
    for (const p of parent_map[id] ?? []) {
      const s = state.get(p);
      if (s === 1) {
        const from = stack.indexOf(p);
        // Written in dependency order: a -> b means b depends on a.
        cycles.push([...stack.slice(from), p].reverse());
      } else if (s === undefined) visit(p);
    }
    stack.pop();
    state.set(id, 2);
  };
  for (const id of Object.keys(parent_map).sort()) if (!state.has(id)) visit(id);
  return cycles;
}

/** Nodes ordered so that every node comes after its parents (for an acyclic map). */
export function topoOrder(ids: Iterable<string>, parent_map: Readonly<Record<string, readonly string[]>>): string[] {
  const wanted = new Set(ids);
  const done = new Set<string>();
  const out: string[] = [];
  const visit = (id: string) => {
    if (done.has(id)) return;
    done.add(id);
    for (const p of parent_map[id] ?? []) visit(p);
    if (wanted.has(id)) out.push(id);
  };
  for (const id of [...wanted].sort()) visit(id);
  return out;
}

export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** ` Did you mean 'stg_rooms'?` or '' when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? ` Did you mean '${best}'?` : '';
}
