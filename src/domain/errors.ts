/**
 * Every error Liveboard reports, with its stable code and HTTP status, in one place.
 * docs/API.md lists the same table; a test keeps the two in step.
 */
export const ERROR_STATUS = {
  invalid_json: 400,
  validation_failed: 400,
  invalid_position: 400,
  credentials_in_url: 400,
  host_not_allowed: 400,
  unauthenticated: 401,
  invalid_token: 401,
  invalid_credentials: 401,
  forbidden: 403,
  insufficient_scope: 403,
  cross_origin_request: 403,
  signup_closed: 403,
  access_revoked: 403,
  board_not_found: 404,
  list_not_found: 404,
  task_not_found: 404,
  label_not_found: 404,
  comment_not_found: 404,
  checklist_not_found: 404,
  item_not_found: 404,
  link_not_found: 404,
  route_not_found: 404,
  member_not_found: 404,
  user_not_found: 404,
  token_not_found: 404,
  invitation_not_found: 404,
  version_conflict: 409,
  id_taken: 409,
  idempotency_key_reused: 409,
  username_taken: 409,
  last_owner: 409,
  already_member: 409,
  limit_reached: 409,
  wip_limit_reached: 409,
  invitation_unavailable: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  too_many_attempts: 429,
  internal_error: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorDetails {
  /** The request field at fault, as a JSON pointer-ish path: `title`, `body/listId`. */
  field?: string;
  [key: string]: unknown;
}

/** The one error type of the project: a stable code, a human message, and optional details. */
export class LiveboardError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'LiveboardError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toJSON(): { error: { code: ErrorCode; message: string } & ErrorDetails } {
    return { error: { code: this.code, message: this.message, ...this.details } };
  }
}

export const invalid = (field: string, message: string): LiveboardError =>
  new LiveboardError('validation_failed', `${field}: ${message}`, { field });

export const idTaken = (id: string): LiveboardError =>
  new LiveboardError('id_taken', `id: '${id}' is already in use; propose another`, { field: 'id' });
