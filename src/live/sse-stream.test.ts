import { describe, expect, it } from 'vitest';
import type { ReaderPlace } from './reader-registry.js';
import { OpenStream, type SseDependencies } from './sse-stream.js';
import type { StreamConnection } from './transport/index.js';

/** A connection that counts how it was ended; `closed` as the transport would say. */
function connection(closed: boolean) {
  const calls = { end: 0, destroy: 0 };
  const fake: StreamConnection = {
    closed,
    writableLength: 0,
    open: () => {},
    write: () => {},
    end: () => void calls.end++,
    destroy: () => void calls.destroy++,
    fail: () => {},
    onClose: () => {},
  };
  return { fake, calls };
}

// close() uses nothing but its connection.
const stream = (fake: StreamConnection) => new OpenStream(fake, {} as SseDependencies, {} as ReaderPlace);

describe('OpenStream.close', () => {
  it('ends an open connection, and drops a slow reader at once', () => {
    const polite = connection(false);
    stream(polite.fake).close('access_lost');
    expect(polite.calls).toEqual({ end: 1, destroy: 0 });
    const slow = connection(false);
    stream(slow.fake).close('slow');
    expect(slow.calls).toEqual({ end: 0, destroy: 1 });
  });

  it('leaves a connection the client already closed alone (ending it would only make an error)', () => {
    const gone = connection(true);
    stream(gone.fake).close('done');
    stream(gone.fake).close('slow');
    expect(gone.calls).toEqual({ end: 0, destroy: 0 });
  });
});
