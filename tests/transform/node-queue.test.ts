/**
 * The run queue's waiting rules for tests that read several nodes (gold -> silver relationships,
 * singular tests comparing gold tables): siblings must never wait for each other's tests.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { itemDependencies, runQueue, type QueueItem } from '../../actions/transform/node-queue.ts';
import type { Project } from '../../actions/transform/project/types.ts';

/** A project graph: silver -> gold_a, gold_b; tests on each, some reading two nodes. */
function graph(): Project {
  const parent_map: Record<string, string[]> = {
    'model.p.silver': [],
    'model.p.gold_a': ['model.p.silver'],
    'model.p.gold_b': ['model.p.silver'],
    'test.p.unique_silver': ['model.p.silver'],
    'test.p.rel_a_to_silver': ['model.p.gold_a', 'model.p.silver'],
    'test.p.rel_b_to_silver': ['model.p.gold_b', 'model.p.silver'],
    'test.p.a_adds_up_to_b': ['model.p.gold_a', 'model.p.gold_b'],
  };
  const child_map: Record<string, string[]> = {};
  for (const [child, parents] of Object.entries(parent_map)) {
    child_map[child] ??= [];
    for (const p of parents) (child_map[p] ??= []).push(child);
  }
  return { parent_map, child_map, nodes: new Map() } as unknown as Project;
}

const items: QueueItem[] = [
  { id: 'model.p.silver', kind: 'build' },
  { id: 'model.p.gold_a', kind: 'build' },
  { id: 'model.p.gold_b', kind: 'build' },
  { id: 'test.p.unique_silver', kind: 'test' },
  { id: 'test.p.rel_a_to_silver', kind: 'test' },
  { id: 'test.p.rel_b_to_silver', kind: 'test' },
  { id: 'test.p.a_adds_up_to_b', kind: 'test' },
];

describe('run queue dependencies', () => {
  it("makes a model wait for its parent's own tests but not for tests that also read a sibling", () => {
    const deps = itemDependencies(graph(), items);
    assert.deepEqual([...deps.get('model.p.gold_a')!].sort(), ['model.p.silver', 'test.p.unique_silver']);
    assert.deepEqual([...deps.get('model.p.gold_b')!].sort(), ['model.p.silver', 'test.p.unique_silver']);
  });

  it('runs every item of such a graph without getting stuck', async () => {
    const ran: string[] = [];
    await runQueue(
      graph(),
      items,
      { threads: 2 },
      async (item) => {
        ran.push(item.id);
        return { blocking: false };
      },
      () => {},
    );
    assert.equal(ran.length, items.length);
    assert.ok(ran.indexOf('test.p.unique_silver') < ran.indexOf('model.p.gold_a'));
    assert.ok(ran.indexOf('model.p.gold_b') < ran.indexOf('test.p.a_adds_up_to_b'));
  });
});
