// One clock for every bench process: CLOCK_MONOTONIC is system-wide on Linux, so a timestamp the
// publisher embeds in a payload can be compared with the time a load-client process reads it.
export function monotonicMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}
