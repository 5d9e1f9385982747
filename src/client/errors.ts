/**
 * The SDK's two failure kinds. They are kept apart because callers act on them differently: an
 * API error is the server's considered "no" (show it, do not retry), a network error means the
 * server was not reached at all (queue the change, retry later).
 */
import { ERROR_STATUS, type Author, type ErrorCode, type VersionedField } from '../domain/index.js';

/**
 * What `LiveboardApiError.code` holds, for callers to switch on: one of the server's codes (the
 * domain's ERROR_STATUS, listed in docs/API.md), or `http_<status>` for an answer that carried none
 * of them (a proxy's error page, say).
 */
export type ApiErrorCode = ErrorCode | `http_${number}`;

/**
 * A field of a task that someone else changed since the version a PATCH was based on; or, for an
 * item PATCH, `text`: the item's text changed since its version the client saw.
 */
export interface FieldConflict {
  field: VersionedField | 'text';
  /** The field's value now (for `position`: `{ listId, position }`). */
  value: unknown;
  /** The task's (or item's) version that set it. */
  version: number;
  /** Who set it (null: anonymous, or not known: an item's text does not keep its author). */
  by: Author | null;
}

/** Thrown for every non-2xx answer: the server's error code, status, message and details (e.g. field). */
export class LiveboardApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details: Record<string, unknown>;
  /** For `version_conflict`: each field the PATCH would have changed that changed since; else empty. */
  readonly conflicts: readonly FieldConflict[];

  constructor(status: number, code: ApiErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'LiveboardApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.conflicts = Array.isArray(details.conflicts) ? (details.conflicts as FieldConflict[]) : [];
  }
}

/** Network failure (server unreachable) — distinct so callers can queue and retry. */
export class LiveboardNetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LiveboardNetworkError';
  }
}

/** Builds the API error from a non-2xx response, whatever its body turned out to be. */
export async function apiErrorFrom(response: Response): Promise<LiveboardApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const error = (body as { error?: unknown } | undefined)?.error;
  if (error && typeof error === 'object') {
    const { code, message, ...details } = error as Record<string, unknown>;
    return new LiveboardApiError(
      response.status,
      isErrorCode(code) ? code : `http_${response.status}`,
      typeof message === 'string' ? message : `HTTP ${response.status}`,
      details,
    );
  }
  return new LiveboardApiError(
    response.status,
    `http_${response.status}`,
    text.trim() || `HTTP ${response.status}`,
  );
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_STATUS, code);
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/**
 * Whether trying the same request again later may succeed: the server was not reached, is
 * overloaded (429) or failed on its side (5xx). Every other answer is final and is not retried.
 */
export function isTemporary(error: unknown): boolean {
  if (error instanceof LiveboardNetworkError) return true;
  return error instanceof LiveboardApiError && (error.status === 429 || error.status >= 500);
}
