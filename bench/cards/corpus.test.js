import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  boardPlan,
  check,
  frameData,
  frameSplitter,
  quantiles,
  random,
  renderChecks,
  searchDifferences,
  vocabulary,
} from './corpus.js';

describe('random and vocabulary', () => {
  it('is the same sequence for the same seed, and another for another', () => {
    const a = random(5);
    const b = random(5);
    const c = random(6);
    const first = [a(), a(), a()];
    assert.deepEqual(first, [b(), b(), b()]);
    assert.notDeepEqual(first, [c(), c(), c()]);
    for (const value of first) assert.ok(value >= 0 && value < 1);
  });

  it('gives distinct words, the common ones first', () => {
    const words = vocabulary(500);
    assert.equal(words.length, 500);
    assert.equal(new Set(words).size, 500);
    assert.equal(words[0], 'release');
  });
});

describe('boardPlan', () => {
  const users = [
    { id: 'user-a', username: 'a' },
    { id: 'user-b', username: 'b' },
  ];
  const plan = boardPlan({ prefix: 'test0001', cards: 1000, users, seed: 3 });

  it('seeds the lists, labels, members, cards, comments and archives the shares ask for', () => {
    const types = (type) => plan.commands.filter(({ command }) => command.type === type);
    assert.equal(types('create_list').length, 8);
    assert.equal(types('create_label').length, 12);
    assert.equal(types('add_member').length, 2);
    assert.equal(types('create_task').length, 1000);
    assert.equal(types('add_comment').length, 2000);
    assert.equal(plan.comments, 2000);
    assert.equal(types('update_task').length, plan.archived.length);
    // 10% archived and 25% with a due date, give or take the draw.
    assert.ok(plan.archived.length > 60 && plan.archived.length < 140, `${plan.archived.length}`);
    assert.ok(plan.withDue.length > 200 && plan.withDue.length < 300, `${plan.withDue.length}`);
    const tasks = types('create_task').map(({ command }) => command);
    assert.ok(tasks.some((task) => task.labelIds?.length));
    assert.ok(tasks.some((task) => task.assigneeIds?.length));
    for (const task of tasks) {
      assert.match(task.id, /^task-[a-z0-9]{8,40}$/);
      assert.equal(task.listId, plan.lists[Number(task.id.slice(-6)) % 8]);
      for (const label of task.labelIds ?? []) assert.ok(plan.labels.includes(label));
    }
  });

  it('makes each command a second after the one before, the same on every call', () => {
    const times = plan.commands.map(({ now }) => now.getTime());
    for (let i = 1; i < times.length; i++) assert.equal(times[i] - times[i - 1], 1000);
    const again = boardPlan({ prefix: 'test0001', cards: 1000, users, seed: 3 });
    assert.deepEqual(again.commands, plan.commands);
    assert.equal(plan.endMs, times.at(-1));
  });

  it('puts checklists with items on the share of cards asked for, none by default', () => {
    assert.equal(plan.checklists, 0);
    const withLists = boardPlan({ prefix: 'test0003', cards: 500, checklistShare: 0.4 });
    const added = withLists.commands.filter(({ command }) => command.type === 'add_checklist');
    assert.equal(added.length, withLists.checklists);
    assert.ok(added.length > 150 && added.length < 250, `${added.length}`);
    for (const { command } of added) {
      assert.match(command.id, /^checklist-[a-z0-9]{8,40}$/);
      assert.ok(command.items.length >= 2 && command.items.length <= 8);
    }
  });

  it('puts every card in one list when asked', () => {
    const one = boardPlan({ prefix: 'test0002', cards: 50, lists: 1 });
    assert.deepEqual(one.lists, ['list-test000200']);
    assert.ok(
      one.commands.every(({ command }) => command.type !== 'create_task' || command.listId === one.lists[0]),
    );
  });
});

describe('quantiles', () => {
  it('gives nearest-rank p50, p95 and p99', () => {
    const q = quantiles(Array.from({ length: 100 }, (_, i) => 100 - i));
    assert.deepEqual(q, { count: 100, min: 1, p50: 50, p95: 95, p99: 99, max: 100 });
  });

  it('is nulls for no samples', () => {
    assert.equal(quantiles([]).p95, null);
  });
});

describe('SSE frames', () => {
  it('splits frames across chunks and counts their bytes', () => {
    const seen = [];
    const feed = frameSplitter((frame, bytes) => seen.push([frameData(frame), bytes]));
    const one = 'id: 7\ndata: {"type":"task_moved","seq":7}\n\n';
    const two = ': heartbeat\n\n';
    const three = 'id: 8\ndata: {"type":"café","seq":8}\n\n';
    const all = Buffer.from(one + two + three);
    feed(all.subarray(0, 10));
    feed(all.subarray(10, 60));
    feed(all.subarray(60));
    assert.deepEqual(seen, [
      [{ type: 'task_moved', seq: 7 }, Buffer.byteLength(one)],
      [null, Buffer.byteLength(two)],
      [{ type: 'café', seq: 8 }, Buffer.byteLength(three)],
    ]);
  });
});

describe('searchDifferences', () => {
  it('names the queries whose result lists differ or are missing', () => {
    const a = { x: [['task-1', 'title']], y: [['task-2', 'comment']], z: [] };
    const b = { x: [['task-1', 'title']], y: [['task-3', 'comment']], w: [] };
    assert.deepEqual(searchDifferences(a, b), ['y', 'z', 'w']);
    assert.deepEqual(searchDifferences(a, a), []);
  });
});

describe('check', () => {
  it('passes at the limit, fails past it, and is n/a unmeasured', () => {
    assert.equal(check('a', 20, 20).pass, true);
    assert.equal(check('a', 20.01, 20).pass, false);
    assert.equal(check('a', null, 20).pass, null);
    assert.equal(check('a', 3, 2, 'x', { atMost: false }).pass, true);
    const text = renderChecks([
      check('GET p95', 12.5, 20),
      check('br', 2e6, 1e6, 'B'),
      check('x', undefined, 1),
    ]);
    assert.match(text, /^PASS {2}GET p95 .* 12\.5 ms {2}\(target ≤ 20 ms\)$/m);
    assert.match(text, /^FAIL {2}br /m);
    assert.match(text, /^ n\/a {2}x /m);
  });
});
