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

/**
 * The `data:` part of a frame, apart from its `id:` line: on a stream of several boards the data of
 * an event is the same for every stream and is encoded once, while each stream's `id:` differs.
 */
export function dataLines(json: string): string {
  return `data: ${json}\n\n`;
}

/** The `id:` line that opens a frame whose `data:` part was made by dataLines. */
export function idLine(id: string): string {
  return `id: ${id}\n`;
}
