// Loaded into each Node server the bench starts (`node --expose-gc --import`): SIGUSR2 runs a full
// garbage collection. A resident-memory reading then counts what the server keeps, not how far
// its collector happened to have got: without it the same build's memory per idle stream read
// anywhere from 2.1 to 4.7 KB from one run to the next (six runs, 2026-12-01).
process.on('SIGUSR2', () => {
  globalThis.gc?.();
});
