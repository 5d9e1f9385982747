// The synthetic day that bench/scaling/simulate-day.js replays: teams in three time zones, each
// with a few boards of skewed size and activity, their members online in working hours. Pure and
// seeded, so that a run can be repeated and the same workload extrapolated (model.js).

/** "A busy deployment": the 1× of the scaling plan (docs/SCALING.md). */
export const BUSY = { streams: 100_000, processes: 10, writesPerS: 5_000, boards: 100_000 };

/** Where teams are: hours from UTC and share of the teams. */
export const ZONES = [
  { offset: 1, share: 0.6 }, // Europe
  { offset: -5, share: 0.3 }, // the Americas
  { offset: 9, share: 0.1 }, // East Asia
];

/** Share of a team's members online at a local hour (0–24): working hours, lunch, evenings. */
export function profile(localHour) {
  const hour = ((localHour % 24) + 24) % 24;
  if (hour < 7) return 0.02;
  if (hour < 9) return 0.02 + ((hour - 7) / 2) * 0.98;
  if (hour < 12) return 1;
  if (hour < 13) return 0.6;
  if (hour < 17) return 0.9;
  if (hour < 19) return 0.9 - ((hour - 17) / 2) * 0.8;
  if (hour < 23) return 0.1;
  return 0.05;
}

/** A seeded generator (LCG): the same seed, the same day. */
export function random(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function normal(next) {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

export function lognormal(next, median, sigma) {
  return median * Math.exp(sigma * normal(next));
}

const clamp = (value, min, max) => Math.min(max, Math.max(min, value));

/** Fixed-width base-36 part of an id. */
const part = (value, width) => value.toString(36).padStart(width, '0');
export const boardId = (index) => `board-${part(index, 6)}00`;
export const listId = (index, list) => `list-${part(index, 6)}${part(list, 2)}`;
export const taskId = (index, task) => `task-${part(index, 6)}${part(task, 4)}`;

/**
 * `boards` boards in teams: a team has lognormal(6) members and 1–15 boards; a board has
 * lognormal(median 30, σ 1) cards (5 to 1,500) in 3–7 lists, a share of its team's members (who
 * have it open when online) and an activity weight, lognormal(σ 1): how much its members write.
 * `peakStreams` and `peakWrites` scale members and writes so that the busiest hour of the day has
 * that many streams open and writes per second.
 */
export function makeWorkload({ boards, peakStreams, peakWrites, seed = 1 }) {
  const next = random(seed);
  const list = [];
  let team = 0;
  while (list.length < boards) {
    const zoneDraw = next();
    let cumulative = 0;
    const zone = ZONES.find((candidate) => (cumulative += candidate.share) >= zoneDraw) ?? ZONES[0];
    const members = clamp(Math.round(lognormal(next, 6, 0.9)), 1, 150);
    const teamBoards = clamp(1 + Math.floor(lognormal(next, 2, 0.7)), 1, 15);
    const weights = Array.from({ length: teamBoards }, () => next() + 0.1);
    const total = weights.reduce((a, b) => a + b, 0);
    for (let index = 0; index < teamBoards && list.length < boards; index++) {
      list.push({
        index: list.length,
        id: boardId(list.length),
        team,
        zone: zone.offset,
        cards: clamp(Math.round(lognormal(next, 30, 1)), 5, 1500),
        lists: 3 + Math.floor(next() * 5),
        members: (members * weights[index]) / total,
        heat: lognormal(next, 1, 1),
        /** Fixed per board, so that its stream count does not flap around a fraction. */
        rounding: next(),
      });
    }
    team++;
  }
  // Scale: the busiest hour has peakStreams members online and peakWrites writes a second.
  const hours = Array.from({ length: 96 }, (_, index) => index / 4);
  const online = (hour) => list.reduce((sum, board) => sum + board.members * profile(hour + board.zone), 0);
  const activity = (hour) =>
    list.reduce((sum, board) => sum + board.members * board.heat * profile(hour + board.zone), 0);
  const peakOnline = Math.max(...hours.map(online));
  const peakActivity = Math.max(...hours.map(activity));
  for (const board of list) board.members *= peakStreams / peakOnline;
  return {
    boards: list,
    teams: team,
    peakStreams,
    peakWrites,
    /** Writes per second per unit of (members × heat × profile). */
    writeScale: peakWrites / ((peakActivity * peakStreams) / peakOnline),
  };
}

/** Streams a board should have open at this UTC hour. */
export function streamsAt(board, hour) {
  return Math.floor(board.members * profile(hour + board.zone) + board.rounding);
}

/** Writes per second a board receives at this UTC hour. */
export function writeRateAt(workload, board, hour) {
  return workload.writeScale * board.members * board.heat * profile(hour + board.zone);
}

/** Knuth's Poisson draw (λ up to a few hundred per tick is fine). */
export function poisson(next, lambda) {
  if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(next)));
  const limit = Math.exp(-lambda);
  let count = 0;
  let product = next();
  while (product > limit) {
    count++;
    product *= next();
  }
  return count;
}
