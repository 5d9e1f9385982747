import type { Revocation } from '../store/store.js';
import type { Reader } from './reader.js';

/**
 * Why a stream or poll was ended for its credential, as its `event: revoked` says:
 * - `signed_out`: its session was signed out (here or everywhere);
 * - `password_changed`: the user changed their password, which ends every other session;
 * - `session_ended`: the session is gone otherwise (expired, or an operator's revoke-sessions);
 * - `token_revoked`: its API token was revoked or expired.
 */
export type RevokedReason = 'signed_out' | 'password_changed' | 'session_ended' | 'token_revoked';

export interface ReaderLimits {
  /** Open streams one signed-in user may have in this process. */
  maxStreamsPerUser: number;
  /** Open anonymous streams from one address in this process. */
  maxStreamsPerAddress: number;
}

/** The configuration's defaults (LIVEBOARD_MAX_STREAMS_PER_USER, _PER_ADDRESS). */
export const DEFAULT_READER_LIMITS: ReaderLimits = { maxStreamsPerUser: 64, maxStreamsPerAddress: 256 };

/** What the sweep asks the store: which of these credentials still hold now (AccountStore has both). */
export interface CredentialCheck {
  liveSessions(idHashes: readonly string[], now: Date): Promise<Set<string>>;
  liveTokens(tokenIds: readonly string[], now: Date): Promise<Set<string>>;
}

/** Credentials asked about in one query of the sweep. */
const SWEEP_BATCH = 500;
/**
 * How long a revocation is remembered for streams and polls still on their way in (authenticated,
 * not yet registered: their board's head is being read). Far more than that takes.
 */
const REMEMBER_REVOCATIONS_MS = 60_000;

const SESSION = 'session:';
const TOKEN = 'token:';

/** What a revoked stream or poll is told (an open stream writes `event: revoked` and ends). */
export interface RevocationTarget {
  revoked(reason: RevokedReason): void;
}

/**
 * An open stream's or a waiting poll's place in the registry, taken before it starts (so the caps
 * are exact, and a revocation while it starts is not missed) and released when it ends. Kept small:
 * a process holds one per stream, and the reader it names is shared by every place of its
 * credential (or, anonymous, of its address).
 */
export class ReaderPlace {
  /** Set once its credential is revoked; then it is out of the registry. */
  revokedBecause: RevokedReason | undefined;
  /** Told once, when its credential is revoked after the stream or poll has started. */
  target: RevocationTarget | undefined;
  private released = false;

  constructor(
    readonly reader: Reader,
    readonly kind: 'stream' | 'poll',
    private readonly registry: ReaderRegistry,
  ) {}

  /** Leaves the registry (the stream closed, the poll answered). Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.registry.forget(this);
  }

  revoke(reason: RevokedReason): void {
    if (this.released) return;
    this.revokedBecause = reason;
    this.release();
    this.target?.revoked(reason);
  }
}

/** The places made with one credential, and the one reader they share. */
interface CredentialGroup {
  reader: Reader;
  places: Set<ReaderPlace>;
}

/** One address's anonymous streams, and the one reader they share. */
interface AddressGroup {
  reader: Reader;
  streams: number;
}

/**
 * The open streams and waiting polls of this process, by the credential and the user they were
 * made with, so that a revocation (this process's own, or another's through the store's feed: see
 * AccountStore.watchRevocations) ends exactly those, at once; and the per-user and per-address
 * stream caps. A periodic sweep asks the store which credentials still hold, which bounds a notice
 * that was lost and ends streams whose session expired.
 */
export class ReaderRegistry {
  private readonly byCredential = new Map<string, CredentialGroup>();
  /** Each signed-in user's credentials that have places. */
  private readonly byUser = new Map<string, Set<CredentialGroup>>();
  private readonly streamsByUser = new Map<string, number>();
  private readonly anonymousByAddress = new Map<string, AddressGroup>();
  /** Revocations of the last minute, oldest first, for places taken after they were heard. */
  private recent: { at: number; revocation: Revocation }[] = [];
  private sweeping = false;

  constructor(private readonly limits: ReaderLimits = DEFAULT_READER_LIMITS) {}

  /** A place for a stream of `reader`; undefined when the reader already has all it may. */
  admitStream(reader: Reader): ReaderPlace | undefined {
    if (
      this.streamsOf(reader) >=
      (reader.userId !== null ? this.limits.maxStreamsPerUser : this.limits.maxStreamsPerAddress)
    ) {
      return undefined;
    }
    return this.add(reader, 'stream');
  }

  /** A place for a waiting poll of `reader` (polls have no cap: each ends within a minute). */
  admitPoll(reader: Reader): ReaderPlace {
    return this.add(reader, 'poll');
  }

  /** Open streams of a user, or anonymous ones of an address, in this process. */
  streamsOf(reader: Pick<Reader, 'userId' | 'address'>): number {
    return reader.userId !== null
      ? (this.streamsByUser.get(reader.userId) ?? 0)
      : (this.anonymousByAddress.get(reader.address)?.streams ?? 0);
  }

  /** Streams and polls held for revocation (those made with a credential). */
  get size(): number {
    let size = 0;
    for (const group of this.byCredential.values()) size += group.places.size;
    return size;
  }

  /** Ends every stream and poll made with a credential the revocation names; says how many. */
  revoke(revocation: Revocation): number {
    const now = performance.now();
    this.recent.push({ at: now, revocation });
    this.forgetOldRevocations(now);
    let ended = 0;
    for (const group of this.groupsNamedBy(revocation)) {
      ended += this.endGroup(group, reasonOf(revocation, group.reader.credential!));
    }
    return ended;
  }

  /**
   * Asks the store which credentials of the open streams and waiting polls still hold, in batches,
   * and ends those of the ones that do not: a revocation whose notice was lost, an expired session
   * or token. Says how many it ended. One sweep at a time.
   */
  async sweep(check: CredentialCheck, now: Date = new Date()): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    try {
      const sessions: string[] = [];
      const tokens: string[] = [];
      for (const credential of this.byCredential.keys()) {
        if (credential.startsWith(SESSION)) sessions.push(credential.slice(SESSION.length));
        else if (credential.startsWith(TOKEN)) tokens.push(credential.slice(TOKEN.length));
      }
      let ended = 0;
      for (let from = 0; from < sessions.length; from += SWEEP_BATCH) {
        const batch = sessions.slice(from, from + SWEEP_BATCH);
        const live = await check.liveSessions(batch, now);
        for (const idHash of batch) {
          if (!live.has(idHash)) ended += this.endCredential(SESSION + idHash, 'session_ended');
        }
      }
      for (let from = 0; from < tokens.length; from += SWEEP_BATCH) {
        const batch = tokens.slice(from, from + SWEEP_BATCH);
        const live = await check.liveTokens(batch, now);
        for (const tokenId of batch) {
          if (!live.has(tokenId)) ended += this.endCredential(TOKEN + tokenId, 'token_revoked');
        }
      }
      return ended;
    } finally {
      this.sweeping = false;
    }
  }

  /** Called by ReaderPlace.release. */
  forget(place: ReaderPlace): void {
    const { reader } = place;
    if (reader.credential === null) {
      if (place.kind !== 'stream') return;
      const group = this.anonymousByAddress.get(reader.address);
      if (group && --group.streams === 0) this.anonymousByAddress.delete(reader.address);
      return;
    }
    const group = this.byCredential.get(reader.credential);
    if (!group || !group.places.delete(place)) return;
    if (place.kind === 'stream' && reader.userId !== null) decrement(this.streamsByUser, reader.userId);
    if (group.places.size > 0) return;
    this.byCredential.delete(reader.credential);
    if (reader.userId === null) return;
    const groups = this.byUser.get(reader.userId);
    groups?.delete(group);
    if (groups?.size === 0) this.byUser.delete(reader.userId);
  }

  private add(given: Reader, kind: 'stream' | 'poll'): ReaderPlace {
    if (given.credential === null) {
      // Anonymous: counted by address (streams only); no credential to revoke.
      if (kind === 'poll') return new ReaderPlace(given, kind, this);
      let group = this.anonymousByAddress.get(given.address);
      if (!group) {
        group = { reader: given, streams: 0 };
        this.anonymousByAddress.set(given.address, group);
      }
      group.streams++;
      return new ReaderPlace(group.reader, kind, this);
    }
    let group = this.byCredential.get(given.credential);
    if (!group) {
      group = {
        reader: { userId: given.userId, credential: given.credential, address: '' },
        places: new Set(),
      };
      this.byCredential.set(given.credential, group);
      if (given.userId !== null) {
        let groups = this.byUser.get(given.userId);
        if (!groups) {
          groups = new Set();
          this.byUser.set(given.userId, groups);
        }
        groups.add(group);
      }
    }
    const place = new ReaderPlace(group.reader, kind, this);
    group.places.add(place);
    if (kind === 'stream' && given.userId !== null) increment(this.streamsByUser, given.userId);
    // Revoked after its credential was checked, before it got here: it ends as soon as it starts.
    if (given.checkedAt !== undefined) {
      for (const { at, revocation } of this.recent) {
        if (at >= given.checkedAt && namesReader(revocation, given)) {
          place.revoke(reasonOf(revocation, given.credential));
          break;
        }
      }
    }
    return place;
  }

  private groupsNamedBy(revocation: Revocation): CredentialGroup[] {
    switch (revocation.kind) {
      case 'session':
        return this.byCredential.has(SESSION + revocation.idHash)
          ? [this.byCredential.get(SESSION + revocation.idHash)!]
          : [];
      case 'token':
        return this.byCredential.has(TOKEN + revocation.tokenId)
          ? [this.byCredential.get(TOKEN + revocation.tokenId)!]
          : [];
      case 'user_sessions':
      case 'user':
        return [...(this.byUser.get(revocation.userId) ?? [])].filter((group) =>
          namesReader(revocation, group.reader),
        );
    }
  }

  private endCredential(credential: string, reason: RevokedReason): number {
    const group = this.byCredential.get(credential);
    return group ? this.endGroup(group, reason) : 0;
  }

  private endGroup(group: CredentialGroup, reason: RevokedReason): number {
    const places = [...group.places];
    for (const place of places) place.revoke(reason);
    return places.length;
  }

  private forgetOldRevocations(now: number): void {
    const keepFrom = this.recent.findIndex(({ at }) => now - at < REMEMBER_REVOCATIONS_MS);
    if (keepFrom > 0) this.recent = this.recent.slice(keepFrom);
    else if (keepFrom < 0) this.recent = [];
  }
}

/** Whether the revocation ends what `reader` opened. */
export function namesReader(revocation: Revocation, reader: Pick<Reader, 'userId' | 'credential'>): boolean {
  const { credential } = reader;
  if (credential === null) return false;
  switch (revocation.kind) {
    case 'session':
      return credential === SESSION + revocation.idHash;
    case 'token':
      return credential === TOKEN + revocation.tokenId;
    case 'user_sessions':
      return (
        reader.userId === revocation.userId &&
        credential.startsWith(SESSION) &&
        (revocation.exceptIdHash === undefined || credential !== SESSION + revocation.exceptIdHash)
      );
    case 'user':
      return reader.userId === revocation.userId;
  }
}

/** What a stream made with `credential` is told when the revocation ends it. */
export function reasonOf(revocation: Revocation, credential: string): RevokedReason {
  switch (revocation.kind) {
    case 'session':
      return 'signed_out';
    case 'token':
      return 'token_revoked';
    case 'user_sessions':
      // Sign-out everywhere ends every session; a password change every one but its own.
      return revocation.exceptIdHash === undefined ? 'signed_out' : 'password_changed';
    case 'user':
      return credential.startsWith(TOKEN) ? 'token_revoked' : 'session_ended';
  }
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function decrement(counts: Map<string, number>, key: string): void {
  const count = (counts.get(key) ?? 0) - 1;
  if (count > 0) counts.set(key, count);
  else counts.delete(key);
}
