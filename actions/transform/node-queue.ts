/**
 * The run's queue, in DAG order as `dbt build` does it: sources' checks, then seeds and models,
 * each node's tests right after it — and a node's children wait for its tests, so that a failing
 * error-severity test (or a failed build, or a failed source check) skips every descendant before
 * it reads bad data. Warnings skip nothing. Independent items run concurrently, up to `threads`.
 */
import type { Project } from './project/types.ts';

export interface QueueItem {
  /** The node's unique_id (a source's for its checks). */
  readonly id: string;
  readonly kind: 'source' | 'build' | 'test';
}

export interface ItemOutcome {
  /** A blocking failure: the item's node (a test's attached node) and its descendants are skipped. */
  readonly blocking: boolean;
}

export interface QueueOptions {
  /** Skip descendants of blocking failures. Default true (`build`); `test` runs everything. */
  skipDescendants?: boolean;
  threads: number;
}

/** Every descendant of `id` in the project graph (children, their children, ...). */
export function descendants(project: Project, id: string): Set<string> {
  const out = new Set<string>();
  const stack = [id];
  while (stack.length > 0) {
    for (const c of project.child_map[stack.pop()!] ?? []) {
      if (!out.has(c)) {
        out.add(c);
        stack.push(c);
      }
    }
  }
  return out;
}

/** Every ancestor of `id` in the project graph (parents, their parents, ...). */
export function ancestors(project: Project, id: string): Set<string> {
  const out = new Set<string>();
  const stack = [id];
  while (stack.length > 0) {
    for (const p of project.parent_map[stack.pop()!] ?? []) {
      if (!out.has(p)) {
        out.add(p);
        stack.push(p);
      }
    }
  }
  return out;
}

/** What each item waits for: its parents in the run, plus the tests of those parents. */
export function itemDependencies(project: Project, items: readonly QueueItem[]): Map<string, Set<string>> {
  const inRun = new Set(items.map((i) => i.id));
  const testsOf = new Map<string, string[]>();
  for (const item of items) {
    if (item.kind !== 'test') continue;
    for (const p of project.parent_map[item.id] ?? []) {
      if (!testsOf.has(p)) testsOf.set(p, []);
      testsOf.get(p)!.push(item.id);
    }
  }
  const deps = new Map<string, Set<string>>();
  const ancestorCache = new Map<string, Set<string>>();
  const above = (id: string) => {
    let a = ancestorCache.get(id);
    if (!a) ancestorCache.set(id, (a = ancestors(project, id)));
    return a;
  };
  for (const item of items) {
    const d = new Set<string>();
    for (const p of project.parent_map[item.id] ?? []) {
      if (inRun.has(p)) d.add(p);
      if (item.kind !== 'build') continue;
      // A node waits for its parents' tests only when everything such a test reads is upstream
      // of the node, as dbt build does. A test that also reads a sibling (a relationships test
      // from one gold table to silver, a singular test comparing two gold tables) would otherwise
      // make the siblings wait for each other: a cycle.
      const upstream = above(item.id);
      for (const t of testsOf.get(p) ?? []) {
        const tParents = project.parent_map[t] ?? [];
        if (tParents.every((tp) => upstream.has(tp))) d.add(t);
      }
    }
    deps.set(item.id, d);
  }
  return deps;
}

/**
 * Runs the items; `run` does one and says whether it failed in a blocking way; `skip` records a
 * skipped item with the reason. Returns when every item has run or been skipped.
 */
export async function runQueue(
  project: Project,
  items: readonly QueueItem[],
  options: QueueOptions,
  run: (item: QueueItem) => Promise<ItemOutcome>,
  skip: (item: QueueItem, cause: string) => void,
): Promise<void> {
  const deps = itemDependencies(project, items);
  const byId = new Map(items.map((i) => [i.id, i]));
  const done = new Set<string>();
  const pending = new Set(items.map((i) => i.id));
  const running = new Map<string, Promise<void>>();
  const skipDescendants = options.skipDescendants ?? true;

  const markSkipped = (failed: QueueItem) => {
    const origin =
      failed.kind === 'test' ? (project.nodes.get(failed.id) as { attached_node?: string } | undefined)?.attached_node : failed.id;
    const roots = origin ? [origin] : [];
    // A singular test has no attached node: its failure skips nothing downstream but itself.
    for (const root of roots) {
      for (const id of descendants(project, root)) {
        if (!pending.has(id) || running.has(id)) continue;
        // When a test failed, the node's other tests still run (they say more about what is
        // wrong); what reads the node is skipped. When the node itself failed, its tests are too.
        if (failed.kind === 'test' && byId.get(id)!.kind === 'test' && (project.child_map[root] ?? []).includes(id)) continue;
        pending.delete(id);
        done.add(id);
        skip(byId.get(id)!, failed.id);
      }
    }
  };

  while (pending.size > 0 || running.size > 0) {
    for (const id of [...pending]) {
      if (running.size >= options.threads) break;
      if (![...deps.get(id)!].every((d) => done.has(d))) continue;
      pending.delete(id);
      const item = byId.get(id)!;
      running.set(
        id,
        run(item).then((outcome) => {
          running.delete(id);
          done.add(id);
          if (outcome.blocking && skipDescendants) markSkipped(item);
        }),
      );
    }
    if (running.size === 0) {
      // Nothing can start: only possible with a dependency cycle among the items, which the
      // project reader rejects. Say so rather than hang.
      throw new Error(`internal: the run queue is stuck with ${[...pending].slice(0, 5).join(', ')} waiting`);
    }
    await Promise.race(running.values());
  }
}
