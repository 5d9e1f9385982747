/**
 * The registry of open streams and waiting polls, without a server: which revocation ends which
 * place and with what reason, a revocation heard while a stream starts, the caps, and the sweep.
 */
import { describe, expect, it } from 'vitest';
import type { Reader } from './reader.js';
import { ReaderRegistry, type CredentialCheck, type RevokedReason } from './reader-registry.js';

const ANA = 'usr_ana';
const BOB = 'usr_bob';
const session = (userId: string, hash: string, checkedAt?: number): Reader => ({
  userId,
  credential: `session:${hash}`,
  address: '10.0.0.1',
  ...(checkedAt === undefined ? {} : { checkedAt }),
});
const token = (userId: string, id: string): Reader => ({
  userId,
  credential: `token:${id}`,
  address: '10.0.0.1',
});
const anonymous = (address: string): Reader => ({ userId: null, credential: null, address });

/** Admits a stream and records what it is told. */
function open(registry: ReaderRegistry, reader: Reader): { told: RevokedReason[]; release(): void } {
  const place = registry.admitStream(reader)!;
  const told: RevokedReason[] = [];
  place.target = { revoked: (reason) => told.push(reason) };
  return { told, release: () => place.release() };
}

describe('ReaderRegistry.revoke', () => {
  it('a session: its streams only, signed_out', () => {
    const registry = new ReaderRegistry();
    const [one, same, other] = [session(ANA, 'a'), session(ANA, 'a'), session(ANA, 'b')].map((r) =>
      open(registry, r),
    );
    expect(registry.revoke({ kind: 'session', idHash: 'a' })).toBe(2);
    expect([one!.told, same!.told, other!.told]).toEqual([['signed_out'], ['signed_out'], []]);
    expect(registry.size).toBe(1);
  });

  it("sign-out everywhere: every session of the user, not its tokens nor another user's", () => {
    const registry = new ReaderRegistry();
    const streams = [session(ANA, 'a'), session(ANA, 'b'), token(ANA, 't'), session(BOB, 'c')].map((r) =>
      open(registry, r),
    );
    expect(registry.revoke({ kind: 'user_sessions', userId: ANA })).toBe(2);
    expect(streams.map((stream) => stream.told)).toEqual([['signed_out'], ['signed_out'], [], []]);
  });

  it('a password change: every other session, password_changed; its own session flows', () => {
    const registry = new ReaderRegistry();
    const streams = [session(ANA, 'kept'), session(ANA, 'b'), token(ANA, 't')].map((r) => open(registry, r));
    registry.revoke({ kind: 'user_sessions', userId: ANA, exceptIdHash: 'kept' });
    expect(streams.map((stream) => stream.told)).toEqual([[], ['password_changed'], []]);
  });

  it('a token: token_revoked; an operator revoking the user: sessions session_ended, tokens token_revoked', () => {
    const registry = new ReaderRegistry();
    const streams = [token(ANA, 't1'), token(ANA, 't2'), session(ANA, 'a'), token(BOB, 't3')].map((r) =>
      open(registry, r),
    );
    registry.revoke({ kind: 'token', tokenId: 't1' });
    expect(streams[0]!.told).toEqual(['token_revoked']);
    registry.revoke({ kind: 'user', userId: ANA });
    expect(streams.map((stream) => stream.told)).toEqual([
      ['token_revoked'],
      ['token_revoked'],
      ['session_ended'],
      [],
    ]);
  });

  it('tells each place once, and not after it was released', () => {
    const registry = new ReaderRegistry();
    const stream = open(registry, session(ANA, 'a'));
    const gone = open(registry, session(ANA, 'a'));
    gone.release();
    registry.revoke({ kind: 'session', idHash: 'a' });
    registry.revoke({ kind: 'user_sessions', userId: ANA });
    expect(stream.told).toEqual(['signed_out']);
    expect(gone.told).toEqual([]);
    expect(registry.size).toBe(0);
  });

  it('a revocation heard after the credential was checked, before the place was taken, still ends it', () => {
    const registry = new ReaderRegistry();
    const checkedAt = performance.now();
    registry.revoke({ kind: 'session', idHash: 'a' });
    const late = registry.admitStream(session(ANA, 'a', checkedAt))!;
    expect(late.revokedBecause).toBe('signed_out');
    // Checked after the revocation (a new sign-in's session, say): not ended by it.
    const fresh = registry.admitStream(session(ANA, 'b', performance.now()))!;
    registry.revoke({ kind: 'user_sessions', userId: BOB });
    expect(registry.admitStream(session(ANA, 'c', performance.now()))!.revokedBecause).toBeUndefined();
    expect(fresh.revokedBecause).toBeUndefined();
    expect(registry.streamsOf({ userId: ANA, address: '' })).toBe(2);
  });
});

describe('ReaderRegistry caps', () => {
  it('a user gets maxStreamsPerUser streams, whatever its credentials; polls are not counted', () => {
    const registry = new ReaderRegistry({ maxStreamsPerUser: 3, maxStreamsPerAddress: 100 });
    const places = [session(ANA, 'a'), token(ANA, 't'), session(ANA, 'b')].map((r) =>
      registry.admitStream(r),
    );
    expect(places.every(Boolean)).toBe(true);
    expect(registry.admitStream(session(ANA, 'a'))).toBeUndefined();
    expect(registry.admitPoll(session(ANA, 'a'))).toBeDefined();
    expect(registry.admitStream(session(BOB, 'c'))).toBeDefined();
    places[0]!.release();
    expect(registry.admitStream(session(ANA, 'a'))).toBeDefined();
  });

  it('anonymous streams are capped per address; signed-in ones from it are not', () => {
    const registry = new ReaderRegistry({ maxStreamsPerUser: 100, maxStreamsPerAddress: 2 });
    const first = registry.admitStream(anonymous('10.0.0.9'))!;
    registry.admitStream(anonymous('10.0.0.9'));
    expect(registry.admitStream(anonymous('10.0.0.9'))).toBeUndefined();
    expect(registry.admitStream(anonymous('10.0.0.8'))).toBeDefined();
    expect(registry.admitStream({ ...session(ANA, 'a'), address: '10.0.0.9' })).toBeDefined();
    first.release();
    first.release();
    expect(registry.streamsOf({ userId: null, address: '10.0.0.9' })).toBe(1);
  });
});

describe('ReaderRegistry.sweep', () => {
  it('asks the store about every credential in batches of 500 and ends the dead ones', async () => {
    const registry = new ReaderRegistry({ maxStreamsPerUser: 10_000, maxStreamsPerAddress: 10 });
    const streams = Array.from({ length: 1200 }, (_, index) => open(registry, session(ANA, `s${index}`)));
    const tokenStream = open(registry, token(ANA, 'dead'));
    const asked: number[] = [];
    const check: CredentialCheck = {
      liveSessions: (hashes) => {
        asked.push(hashes.length);
        return Promise.resolve(new Set(hashes.filter((hash) => hash !== 's7' && hash !== 's1100')));
      },
      liveTokens: (ids) => {
        asked.push(ids.length);
        return Promise.resolve(new Set<string>());
      },
    };
    expect(await registry.sweep(check)).toBe(3);
    expect(asked).toEqual([500, 500, 200, 1]);
    expect(streams[7]!.told).toEqual(['session_ended']);
    expect(streams[1100]!.told).toEqual(['session_ended']);
    expect(tokenStream.told).toEqual(['token_revoked']);
    expect(streams.filter((stream) => stream.told.length > 0)).toHaveLength(2);
  });
});
