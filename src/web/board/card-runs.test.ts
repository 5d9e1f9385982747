import { describe, expect, it } from 'vitest';
import { TASK_DEFAULTS, type Task } from '../../domain/index.js';
import { CARDS_PER_RUN, drawCards, startsRun } from './card-runs.js';

const card = (k: number): Task =>
  ({ ...TASK_DEFAULTS, id: `task-${k.toString(36).padStart(8, '0')}`, title: `card ${k}` }) as Task;
const cards = (count: number, from = 0): Task[] => Array.from({ length: count }, (_, k) => card(from + k));

describe('drawCards: a list drawn in runs of cards', () => {
  it('keeps every card, in order, in runs that each start at a card its id chooses', () => {
    const tasks = cards(5000);
    const { runs, ids } = drawCards(tasks);
    expect(runs.flatMap((run) => run.tasks)).toEqual(tasks);
    expect(ids).toEqual(tasks.map((task) => task.id));
    expect(runs[0]!.key).toBe('first');
    for (const run of runs.slice(1)) {
      expect(run.key).toBe(run.tasks[0]!.id);
      expect(startsRun(run.key)).toBe(true);
    }
    // About one card in CARDS_PER_RUN starts a run: 5,000 cards make tens of runs, not thousands.
    expect(runs.length).toBeGreaterThan(5000 / CARDS_PER_RUN / 2);
    expect(runs.length).toBeLessThan((5000 / CARDS_PER_RUN) * 2);
  });

  it('hands back the same arrays but for the run of a card changed in place', () => {
    const tasks = cards(2000);
    const before = drawCards(tasks);
    const ticked = tasks.map((task, k) => (k === 1234 ? { ...task, title: 'ticked' } : task));
    const after = drawCards(ticked, before);
    expect(after.ids).toBe(before.ids);
    expect(after.runs.map((run) => run.key)).toEqual(before.runs.map((run) => run.key));
    const changed = after.runs.filter((run, k) => run.tasks !== before.runs[k]!.tasks);
    expect(changed).toHaveLength(1);
    expect(changed[0]!.tasks).toContain(ticked[1234]);
    expect(after.runs.flatMap((run) => run.tasks)).toEqual(ticked);
    // Nothing changed: the very same runs.
    expect(drawCards(ticked, after).runs).toBe(after.runs);
  });

  it('leaves the other runs as they were when a card is added, removed or moved, unless it starts a run', () => {
    const tasks = cards(2000);
    const before = drawCards(tasks);
    const unchanged = (after: ReturnType<typeof drawCards>) => {
      const kept = new Set(before.runs.map((run) => run.tasks));
      return after.runs.filter((run) => !kept.has(run.tasks)).length;
    };
    const added = cards(200, 10_000).find((task) => !startsRun(task.id))!;
    const withAdded = drawCards([...tasks.slice(0, 700), added, ...tasks.slice(700)], before);
    expect(withAdded.ids).not.toBe(before.ids);
    expect(withAdded.runs.flatMap((run) => run.tasks)).toContain(added);
    expect(unchanged(withAdded)).toBe(1);
    const removedAt = tasks.findIndex((task, k) => k > 1500 && !startsRun(task.id));
    expect(unchanged(drawCards(tasks.toSpliced(removedAt, 1), before))).toBe(1);
    // A card moved from near the end to near the start: the two runs it leaves and joins.
    const moved = tasks.findIndex((task, k) => k > 1800 && !startsRun(task.id));
    const reordered = [...tasks.slice(0, 100), tasks[moved]!, ...tasks.slice(100).toSpliced(moved - 100, 1)];
    expect(unchanged(drawCards(reordered, before))).toBeLessThanOrEqual(2);
  });
});
