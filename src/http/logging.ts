import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config.js';

/** Body fields that hold a secret, wherever a log line carries a body (at any of two levels). */
export const SECRET_FIELDS: readonly string[] = [
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'secret',
  // Sign-up's invitation token.
  'invitation',
];

/** What a redacted value is written as. */
export const REDACTED = '[redacted]';

/**
 * The log paths pino blanks out (its `redact`): credentials in headers (`req.headers.authorization`,
 * `req.headers.cookie`, `res.headers["set-cookie"]`, …), and the secret fields of a body however it
 * was logged (`body.password`, `req.body.password`, a bare `{ token }`).
 */
export const REDACTED_PATHS: readonly string[] = [
  ...['authorization', 'cookie', 'proxy-authorization', 'set-cookie'].flatMap((header) => [
    `headers["${header}"]`,
    `*.headers["${header}"]`,
  ]),
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.body.${field}`]),
];

/** Fastify's `logger` option, as an object. */
export type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

/** A destination for log lines (tests pass one to read them); by default pino writes to stdout. */
export interface LogDestination {
  write(line: string): void;
}

/**
 * Fastify's `logger` option: the configured level, secrets redacted (REDACTED_PATHS), and a request
 * logged without its query string (which may hold what should never be logged, like a token a
 * client wrongly put there: it is refused, but the refusal is logged). Usage:
 * `Fastify({ logger: loggerOptions(config), … })`.
 */
export function loggerOptions(config: Pick<Config, 'logLevel'>, stream?: LogDestination): LoggerOptions {
  return {
    level: config.logLevel,
    redact: { paths: [...REDACTED_PATHS], censor: REDACTED },
    serializers: {
      // Whatever is logged as `req` (a Fastify request, or an object made by hand): these only.
      req: (request: { method?: string; url?: string; ip?: string }) => ({
        method: request.method,
        url: typeof request.url === 'string' ? pathOf(request.url) : undefined,
        remoteAddress: request.ip,
      }),
    },
    ...(stream ? { stream } : {}),
  };
}

/** A request target without its query string or fragment: what a log line may say of a URL. */
export function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}
