import type { Author } from '../domain/index.js';
import type { PublicUser, TokenScope } from '../store/accounts.js';

/** How a signed-in principal proved who it is: the browser's session cookie, or an API token. */
export type Credential =
  { kind: 'session'; idHash: string } | { kind: 'token'; tokenId: string; scope: TokenScope };

/**
 * Who makes a request or holds a stream (docs/ACCOUNTS.md): nobody in particular, or a user through
 * one credential. `address` is the client's address (Fastify's `request.ip`, behind trusted proxies
 * their X-Forwarded-For), for the per-address caps and throttles.
 */
export type Principal =
  | { kind: 'anonymous'; address: string }
  | { kind: 'user'; user: PublicUser; credential: Credential; address: string };

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** Who an event of this principal's is signed by. */
export function authorOf(principal: Principal): Author | null {
  return principal.kind === 'user' ? { userId: principal.user.id, username: principal.user.username } : null;
}

export function userIdOf(principal: Principal): string | null {
  return principal.kind === 'user' ? principal.user.id : null;
}

/** A key naming the credential, for the registry of open streams (so a revocation finds them). */
export function credentialKey(credential: Credential): string {
  return credential.kind === 'session' ? `session:${credential.idHash}` : `token:${credential.tokenId}`;
}
