import { LiveboardApiError, LiveboardNetworkError } from './sdk.js';

/** What the app says, in words, for a refusal the user can act on; the server's own message otherwise. */
const WORDS: Partial<Record<string, string>> = {
  invalid_credentials: 'Wrong username or password.',
  too_many_attempts: 'Too many attempts. Wait a while, then try again.',
  rate_limited: 'Too many requests. Wait a moment, then try again.',
  username_taken: 'That username is taken. Try another.',
  signup_closed: 'Sign-up is closed on this server.',
  user_not_found: 'There is no user with that username.',
  already_member: 'They are already a member of this board.',
  unauthenticated: 'You are signed out. Sign in, then try again.',
  invitation_not_found: 'This invitation link is not valid. Check that it was copied whole.',
  invitation_unavailable: 'This invitation can no longer be used: it expired, was used up, or was revoked.',
  token_not_found: 'That token no longer exists.',
};

/** One sentence for a failed request: the known refusals in words, else what the server said. */
export function describeError(error: unknown): string {
  if (error instanceof LiveboardNetworkError) return 'The server cannot be reached. Try again.';
  if (error instanceof LiveboardApiError) {
    const words = WORDS[error.code];
    if (words) return words;
    if (error.status >= 500) return 'The server failed to do that. Try again.';
    return sentence(error.message);
  }
  return 'Something went wrong. Try again.';
}

/** The field a validation error is about, when the server named one. */
export function fieldOf(error: unknown): string | undefined {
  if (!(error instanceof LiveboardApiError)) return undefined;
  const field = error.details.field;
  return typeof field === 'string' ? field : undefined;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return 'Something went wrong. Try again.';
  const first = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
