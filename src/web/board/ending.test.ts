import { describe, expect, test } from 'vitest';
import { LiveboardApiError, LiveboardNetworkError } from '../sdk.js';
import { endingOf } from './ending.js';

describe('what a followed board’s error means for the page', () => {
  test('removed, or the board made private: access lost', () => {
    const removed = new LiveboardApiError(403, 'access_revoked', 'x', { reason: 'member_removed' });
    const privatised = new LiveboardApiError(403, 'access_revoked', 'x', { reason: 'visibility_changed' });
    expect(endingOf(removed)).toBe('access_lost');
    expect(endingOf(privatised)).toBe('access_lost');
    expect(endingOf(new LiveboardApiError(404, 'board_not_found', 'no board'))).toBe('access_lost');
  });

  test('the session revoked (the stream’s `revoked`), or a 401: signed out', () => {
    expect(endingOf(new LiveboardApiError(403, 'access_revoked', 'x', { reason: 'signed_out' }))).toBe(
      'signed_out',
    );
    expect(endingOf(new LiveboardApiError(401, 'unauthenticated', 'x'))).toBe('signed_out');
  });

  test('anything else is retried, not an ending', () => {
    expect(endingOf(new LiveboardNetworkError('down'))).toBeUndefined();
    expect(endingOf(new LiveboardApiError(503, 'unavailable', 'x'))).toBeUndefined();
    expect(endingOf(new Error('?'))).toBeUndefined();
  });
});
