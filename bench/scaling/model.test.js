// The scaling model's arithmetic (bench/scaling/model.js) and the synthetic day (day.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeWorkload, poisson, profile, random, streamsAt, writeRateAt } from './day.js';
import { TODAY, breakingScale, followers, loadAt } from './model.js';

test('followers: one stream, one process; many streams reach every process', () => {
  assert.equal(followers(0, 10), 0);
  assert.ok(Math.abs(followers(1, 10) - 1) < 1e-9);
  assert.ok(Math.abs(followers(1000, 10) - 10) < 1e-6);
  assert.ok(followers(5, 2) > 1.9 && followers(5, 2) < 2);
});

test('the day: its busiest hour has the streams and writes asked for', () => {
  const workload = makeWorkload({ boards: 500, peakStreams: 400, peakWrites: 20, seed: 3 });
  let streams = 0;
  let writes = 0;
  for (let hour = 0; hour < 24; hour += 0.25) {
    streams = Math.max(
      streams,
      workload.boards.reduce((sum, board) => sum + streamsAt(board, hour), 0),
    );
    writes = Math.max(
      writes,
      workload.boards.reduce((sum, board) => sum + writeRateAt(workload, board, hour), 0),
    );
  }
  assert.ok(Math.abs(streams - 400) < 40, `streams ${streams}`);
  assert.ok(Math.abs(writes - 20) < 0.01, `writes ${writes}`);
  assert.equal(profile(3), 0.02);
  assert.equal(profile(10), 1);
});

test('poisson draws average to their rate', () => {
  const next = random(7);
  let sum = 0;
  for (let index = 0; index < 2000; index++) sum += poisson(next, 3);
  assert.ok(Math.abs(sum / 2000 - 3) < 0.2);
});

const units = {
  commitsPerWrite: 1,
  otherStatementsPerWrite: 5,
  dbUsPerStatement: 100,
  nodeUsPerNotice: 50,
  nodeUsPerLogRead: 100,
  dbListenerUsPerNotice: 25,
  serverUsPerWrite: 500,
  deliveryUs: 10,
  heapBytesPerCard: 500,
  streamKb: 4.9,
  baseRssMb: 80,
  processMemoryMb: 4096,
  streamsPerProcess: 19_000,
  notifyCommitsPerS: 1000,
  brokerUsPerPublish: 20,
  brokerHostCores: 16,
  dbHostCores: 64,
  maxConnections: 100,
  connectionsPerProcess: 11,
  perBoardWritesPerS: 8000,
};
const boards = [
  { readers: 10, writesPerS: 600, cards: 100 },
  { readers: 0, writesPerS: 400, cards: 50 },
];

test('today: NOTIFY commits grow with k, and one commit lock caps them', () => {
  const { rows, facts } = loadAt(1, units, boards);
  assert.equal(facts.writesPerS, 1000);
  assert.equal(rows['NOTIFY commit lock (commits/s, one per PostgreSQL cluster)'].demand, 1000);
  assert.equal(breakingScale(units, boards, 'NOTIFY commit lock (commits/s, one per PostgreSQL cluster)'), 1);
  // Every process hears every commit today.
  assert.equal(facts.noticesPerProcessPerS, 1000);
});

test('sticky routing: no log reads; sharded feed: a process hears only the boards it follows', () => {
  const sticky = loadAt(10, units, boards, { feed: 'notify-sharded', routing: 'sticky', partitions: 1 });
  assert.equal(sticky.facts.logReadsPerCommit, 0);
  assert.ok(
    sticky.facts.noticesPerProcessPerS < loadAt(10, units, boards, TODAY).facts.noticesPerProcessPerS / 10,
  );
  const split = loadAt(10, units, boards, { feed: 'notify', routing: 'random', partitions: 4 });
  assert.equal(split.rows['NOTIFY commit lock (commits/s, one per PostgreSQL cluster)'].demand, 2500);
});
