// A child process of bench/cards.js: seeds the search corpus into one store (argv: JSON
// {dist, databaseUrl, cards, noiseBoards, noiseCards}) and prints {seconds}. One per store, so
// that SQLite and PostgreSQL are seeded at once, on both cores.
import { join } from 'node:path';
import { seedSearchCorpus } from './seed.js';

const input = JSON.parse(process.argv[2]);
const { openStore } = await import(join(input.dist, 'store/open-store.js'));
const started = performance.now();
const store = await openStore(input.databaseUrl);
await store.migrate();
await seedSearchCorpus(store, input);
await store.close();
console.log(JSON.stringify({ seconds: Math.round((performance.now() - started) / 1000) }));
