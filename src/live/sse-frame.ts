/**
 * The one place SSE bytes are made. JSON.stringify never emits a raw newline, so an event's JSON is
 * always a single `data:` line and needs no splitting.
 */
export function eventFrame(seq: number, json: string): string {
  return `id: ${seq}\ndata: ${json}\n\n`;
}

export function retryFrame(retryMs: number): string {
  return `retry: ${retryMs}\n\n`;
}

/** A comment line: ignored by EventSource, but it keeps proxies from closing an idle stream. */
export function commentFrame(text = ''): string {
  return `:${text ? ` ${text.replace(/[\r\n]+/g, ' ')}` : ''}\n\n`;
}

/** The contract's control message: the client must refetch the snapshot, then go on from `seq`. */
export function resetFrame(seq: number): string {
  return eventFrame(seq, JSON.stringify({ type: 'reset', seq }));
}
