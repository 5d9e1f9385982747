import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import {
  credentialParameterIn,
  credentialsInUrlError,
  crossOriginError,
  crossOriginRefusal,
  hostAllowed,
  hostNotAllowedError,
  ownOriginsOf,
} from '../live/transport/request-guards.js';

/** What the guards need to know of the configuration. */
export type RequestGuardsConfig = Pick<Config, 'allowedHosts' | 'publicUrl'>;

/**
 * The guards around every request of the HTTP app (docs/ACCOUNTS.md, "Around every request").
 *
 * onRequest, before routing has done anything else with the request, in this order:
 * 1. `Host` in LIVEBOARD_ALLOWED_HOSTS, else 400 `host_not_allowed` (DNS rebinding);
 * 2. no credential in the URL's query, else 400 `credentials_in_url`;
 * 3. no cross-origin write (Go 1.25's CrossOriginProtection rule), else 403 `cross_origin_request`.
 * Each throws the contract's LiveboardError; the app's error handler answers it. The stream path,
 * served before Fastify, runs the same pure checks (src/live/transport/request-guards.ts).
 *
 * onSend, on every answer: `X-Content-Type-Options: nosniff`; and on every answer that is not a
 * shareable asset (one whose route says `Cache-Control: public…`, like the web app's hashed files):
 * `Vary: Cookie, Authorization`, and `Cache-Control: private, no-store` where the route set no
 * Cache-Control of its own. The app pages' Content-Security-Policy is APP_PAGE_HEADERS, set by the
 * routes that serve them (routes/web-app.ts).
 *
 * Not encapsulated (as fastify-plugin would make it): register it on the root instance and the
 * hooks apply to every route, those registered before it included, and to the 404 handler.
 */
export function requestGuards(config: RequestGuardsConfig): FastifyPluginAsync {
  const allowedHosts = config.allowedHosts;
  const ownOrigins = ownOriginsOf(config.publicUrl);
  const plugin: FastifyPluginAsync = async (app) => {
    app.addHook('onRequest', async (request) => {
      const headers = request.headers;
      const host = hostHeaderOf(request);
      if (!hostAllowed(host, allowedHosts)) throw hostNotAllowedError();
      const parameter = credentialParameterIn(request.url);
      if (parameter !== undefined) throw credentialsInUrlError(parameter);
      const refused = crossOriginRefusal(
        request.method,
        { secFetchSite: first(headers['sec-fetch-site']), origin: first(headers.origin), host },
        ownOrigins,
      );
      if (refused) throw crossOriginError();
    });
    app.addHook('onSend', async (_request, reply, payload) => {
      setResponseHeaders(reply);
      return payload;
    });
  };
  return Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: 'liveboard-request-guards',
  });
}

/** The request's `Host` as the client sent it (HTTP/2: `:authority`), not X-Forwarded-Host. */
function hostHeaderOf(request: FastifyRequest): string | undefined {
  return first(request.headers.host) ?? first(request.headers[':authority']);
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const VARY_ON_CALLER = ['Cookie', 'Authorization'];

function setResponseHeaders(reply: FastifyReply): void {
  void reply.header('X-Content-Type-Options', 'nosniff');
  const cacheControl = headerText(reply.getHeader('cache-control'));
  if (/(^|,)\s*public\b/i.test(cacheControl)) return;
  if (cacheControl === '') void reply.header('Cache-Control', 'private, no-store');
  const vary = headerText(reply.getHeader('vary'));
  if (vary.trim() === '*') return;
  const present = new Set(vary.split(',').map((name) => name.trim().toLowerCase()));
  const missing = VARY_ON_CALLER.filter((name) => !present.has(name.toLowerCase()));
  if (missing.length === 0) return;
  void reply.header('Vary', [vary, ...missing].filter((part) => part.trim() !== '').join(', '));
}

function headerText(value: number | string | string[] | undefined): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/**
 * The web app's pages' Content-Security-Policy. The built app (dist/web/index.html) is one module
 * script and one stylesheet from /assets, with no inline script or style element: React sets
 * `style` through the DOM, which a CSP does not govern. So no 'unsafe-inline' anywhere. Its icon
 * is a data: URL; its streams and fetches are same-origin.
 */
export const APP_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** The headers of every web app page (HTML): its CSP, no Referer off-site, no sniffing. */
export const APP_PAGE_HEADERS: Readonly<OutgoingHttpHeaders> = {
  'Content-Security-Policy': APP_CONTENT_SECURITY_POLICY,
  'Referrer-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
};
