import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { LiveboardError } from '../domain/index.js';

/** Any error a request can raise, as the contract's JSON error with its status. */
export function toLiveboardError(error: unknown): LiveboardError {
  if (error instanceof LiveboardError) return error;
  const fastifyError = error as Partial<FastifyError> & {
    validation?: ValidationIssue[];
    validationContext?: string;
  };
  if (fastifyError.validation && fastifyError.validation.length > 0) {
    return fromValidation(fastifyError.validation[0]!, fastifyError.validationContext ?? 'body');
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new LiveboardError('payload_too_large', 'the request body is larger than the server accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new LiveboardError('unsupported_media_type', 'send the body as application/json', {
        field: 'Content-Type',
      });
    case 'FST_ERR_BAD_URL':
      return new LiveboardError('validation_failed', 'url: is not valid percent-encoding', { field: 'url' });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new LiveboardError('invalid_json', 'Content-Length does not match the body');
  }
  if (fastifyError.statusCode === 404) return new LiveboardError('route_not_found', 'no such route');
  if (fastifyError.statusCode === 429) {
    return new LiveboardError(
      'rate_limited',
      'too many writes from this address; wait for Retry-After seconds',
    );
  }
  return new LiveboardError(
    'internal_error',
    'something went wrong on our side; the request changed nothing',
  );
}

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

function fromValidation(issue: ValidationIssue, context: string): LiveboardError {
  const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
  let field = path;
  let message = issue.message ?? 'is invalid';
  if (issue.keyword === 'required') {
    field = [path, String(issue.params.missingProperty)].filter(Boolean).join('.');
    message = 'is required';
  } else if (issue.keyword === 'additionalProperties') {
    field = [path, String(issue.params.additionalProperty)].filter(Boolean).join('.');
    message = 'is not a known field';
  } else if (issue.keyword === 'minProperties') {
    message = 'must name at least one field to change';
  }
  if (!field) field = context;
  if (context === 'querystring' || context === 'params') field = field || context;
  return new LiveboardError('validation_failed', `${field}: ${message}`, { field });
}

export function replyWithError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const liveboardError = toLiveboardError(error);
  if (liveboardError.status >= 500 && liveboardError.code !== 'unavailable') {
    request.log.error({ err: error }, 'request failed');
  }
  // Busy or stopping, not broken: a client may come back in a second (another process may answer).
  if (liveboardError.code === 'unavailable') void reply.header('Retry-After', '1');
  const retryAfter = liveboardError.details?.retryAfterSeconds;
  if (typeof retryAfter === 'number') void reply.header('Retry-After', String(retryAfter));
  for (const [name, value] of Object.entries(authenticateHeaders(liveboardError)))
    void reply.header(name, value);
  void reply.code(liveboardError.status).type('application/json').send(JSON.stringify(liveboardError));
}

/** RFC 6750: a 401 names the scheme that would do, and why the credential sent did not. */
export function authenticateHeaders(error: LiveboardError): Record<string, string> {
  if (error.status !== 401) return {};
  return {
    'WWW-Authenticate':
      error.code === 'invalid_token'
        ? 'Bearer realm="liveboard", error="invalid_token"'
        : 'Bearer realm="liveboard"',
  };
}
