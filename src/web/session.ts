import { useSyncExternalStore } from 'react';
import { client, type User } from './sdk.js';

/** Who this browser is signed in as: not known yet, nobody, or a user. */
export type SessionState = { status: 'loading' } | { status: 'ready'; user: User | null };

/** Why a session ended under a page: signed out here, or elsewhere (another tab, another device, a password change). */
export type EndedHow = 'here' | 'elsewhere';

type TabMessage = { kind: 'signed_out' } | { kind: 'signed_in'; user: User };

/**
 * The signed-in user, for every page of this tab, kept the same in every tab of the browser: a
 * sign-in or sign-out in one tab is said on a BroadcastChannel, so the others change with it
 * (and a board page that was live as that user stops, with a notice). A session ended on the
 * server (sign-out everywhere, a password changed elsewhere) comes as the stream's `revoked`;
 * whichever tab hears it says so to the others the same way.
 */
class Session {
  private state: SessionState = { status: 'loading' };
  private readonly listeners = new Set<() => void>();
  private readonly endedListeners = new Set<(how: EndedHow) => void>();
  private readonly channel: BroadcastChannel | undefined;
  private loading: Promise<void> | undefined;

  constructor() {
    this.channel =
      typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel('liveboard-session');
    if (this.channel) this.channel.onmessage = (event) => this.fromTab(event.data as TabMessage);
  }

  get snapshot(): SessionState {
    return this.state;
  }

  get user(): User | null | undefined {
    return this.state.status === 'ready' ? this.state.user : undefined;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionState => this.state;

  /** Calls `listener` when the session this tab had ends (not when it was never signed in). */
  onEnded(listener: (how: EndedHow) => void): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  /** Asks the server who this is (once; again with `force`). A server out of reach counts as nobody, and is asked again later. */
  load(force = false): Promise<void> {
    if (this.loading && !force) return this.loading;
    this.loading = client.me().then(
      (user) => this.set(user),
      () => {
        if (this.state.status === 'loading') this.set(null);
        this.loading = undefined;
      },
    );
    return this.loading;
  }

  async signIn(input: { username: string; password: string }): Promise<User> {
    const user = await client.signIn(input);
    this.signedIn(user);
    return user;
  }

  async signUp(input: {
    username: string;
    password: string;
    displayName?: string;
    invitation?: string;
  }): Promise<User> {
    const user = await client.signUp(input);
    this.signedIn(user);
    return user;
  }

  async signOut(): Promise<void> {
    await client.signOut();
    this.ended('here');
  }

  async signOutEverywhere(): Promise<void> {
    await client.signOutEverywhere();
    this.ended('here');
  }

  /** The user changed (a new display name). */
  updated(user: User): void {
    this.set(user);
    this.post({ kind: 'signed_in', user });
  }

  /**
   * The server ended this browser's session (a stream's `revoked`, a 401 where a session was):
   * this tab and every other one learn it now.
   */
  revoked(): void {
    if (this.user === null) return;
    this.ended('elsewhere');
  }

  private signedIn(user: User): void {
    this.set(user);
    this.post({ kind: 'signed_in', user });
  }

  private ended(how: EndedHow): void {
    const had = Boolean(this.user);
    this.set(null);
    this.post({ kind: 'signed_out' });
    if (had || how === 'elsewhere') for (const listener of this.endedListeners) listener(how);
  }

  private fromTab(message: TabMessage): void {
    if (message.kind === 'signed_in') {
      if (this.user?.id === message.user.id) return this.set(message.user);
      // Someone else signed in in another tab: this tab is now them. A page live as the
      // previous user stops (as for a sign-out), and the new user is asked for.
      const had = Boolean(this.user);
      this.set(message.user);
      if (had) for (const listener of this.endedListeners) listener('elsewhere');
      return;
    }
    const had = Boolean(this.user);
    this.set(null);
    if (had) for (const listener of this.endedListeners) listener('elsewhere');
  }

  private set(user: User | null): void {
    this.state = { status: 'ready', user };
    for (const listener of this.listeners) listener();
  }

  private post(message: TabMessage): void {
    this.channel?.postMessage(message);
  }
}

export const session = new Session();

/** The session as a React value: re-renders when the user signs in or out, here or in another tab. */
export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}

/** The signed-in user; null when nobody is, undefined until the server has said. */
export function useUser(): User | null | undefined {
  const state = useSession();
  return state.status === 'ready' ? state.user : undefined;
}

/** A display name, or the username when there is none. */
export function nameOf(user: Pick<User, 'username' | 'displayName'>): string {
  return user.displayName.trim() || user.username;
}
