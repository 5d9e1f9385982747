import { LiveboardError } from '../../domain/errors.js';

/**
 * The checks every request passes before anything else looks at it, REST and streams alike: the
 * HTTP app runs them in an onRequest hook (src/http/request-guards.ts), and the SSE stream path,
 * served before Fastify, calls them on the request head itself. So they are pure: plain strings in,
 * a yes or no (or the contract's error) out, nothing of Fastify's.
 */

// ---------------------------------------------------------------------------------------------
// Host: DNS rebinding
// ---------------------------------------------------------------------------------------------

/**
 * Whether a request's `Host` names this server (LIVEBOARD_ALLOWED_HOSTS). Case does not matter,
 * nor does a port or a trailing dot; `[::1]` and `::1` are one host. A request without `Host`
 * (HTTP/1.0) is refused: only `*` allows it, as it allows any host.
 *
 * Refusing other names is what stops DNS rebinding: a web page whose name an attacker points at
 * 127.0.0.1 reaches a local server as same-origin, but its requests still say `Host: evil.example`.
 */
export function hostAllowed(hostHeader: string | undefined, allowedHosts: readonly string[]): boolean {
  if (allowedHosts.includes('*')) return true;
  if (hostHeader === undefined) return false;
  const host = hostName(hostHeader);
  if (host === '') return false;
  return allowedHosts.some((allowed) => hostName(allowed) === host);
}

/** `Name.Example:8080` → `name.example`; `[::1]:3000` → `::1`; a bare `::1` stays `::1`. */
export function hostName(hostHeader: string): string {
  let host = hostHeader.trim().toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    host = end < 0 ? host.slice(1) : host.slice(1, end);
  } else if (host.indexOf(':') === host.lastIndexOf(':')) {
    // One colon at most: name or IPv4, with a port perhaps. More than one: a bare IPv6 address.
    const colon = host.indexOf(':');
    if (colon >= 0) host = host.slice(0, colon);
  }
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

// ---------------------------------------------------------------------------------------------
// Credentials in the URL
// ---------------------------------------------------------------------------------------------

/**
 * Query parameters that carry a credential in one API or another (OAuth's `access_token`, the
 * common `token`, `api_key`, …). A URL ends up in proxy logs, browser history and `Referer`
 * headers, so a request that puts one there is refused, on every route, whatever the value.
 */
export const CREDENTIAL_PARAMETERS: readonly string[] = [
  'access_token',
  'accesstoken',
  'id_token',
  'refresh_token',
  'token',
  'auth',
  'auth_token',
  'authorization',
  'bearer',
  'api_key',
  'apikey',
  'api-key',
  'secret',
  'client_secret',
  'session',
  'session_id',
  'sessionid',
  'liveboard_session',
  '__host-liveboard_session',
  'password',
  'passwd',
];

const CREDENTIAL_NAMES = new Set(CREDENTIAL_PARAMETERS);
/** A Liveboard API token's prefix: one in any query value is a credential, whatever its name. */
const TOKEN_PREFIX = 'lbp_';

/**
 * The first query parameter of a request target (`/path?query`) that carries a credential: one of
 * CREDENTIAL_PARAMETERS (case-insensitively), or any parameter whose value is an API token
 * (`lbp_…`). Undefined when there is none.
 */
export function credentialParameterIn(target: string): string | undefined {
  const queryStart = target.indexOf('?');
  if (queryStart < 0) return undefined;
  const hashStart = target.indexOf('#', queryStart);
  const query = target.slice(queryStart + 1, hashStart < 0 ? undefined : hashStart);
  if (query === '') return undefined;
  for (const [name, value] of new URLSearchParams(query)) {
    if (CREDENTIAL_NAMES.has(name.trim().toLowerCase())) return name;
    if (value.trim().startsWith(TOKEN_PREFIX)) return name;
  }
  return undefined;
}

/** Whether a request target carries a credential in its query string (see credentialParameterIn). */
export function credentialsInUrl(target: string): boolean {
  return credentialParameterIn(target) !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Cross-origin requests (CSRF)
// ---------------------------------------------------------------------------------------------

/** The request headers the cross-origin check reads; each the first value if repeated. */
export interface CrossOriginHeaders {
  secFetchSite?: string | undefined;
  origin?: string | undefined;
  host?: string | undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request is a cross-origin write to refuse: Go 1.25's `http.CrossOriginProtection` rule.
 *
 * - GET, HEAD and OPTIONS always pass: they change nothing.
 * - With `Sec-Fetch-Site` (every current browser sends it): only `same-origin` and `none` (the
 *   user's own navigation) pass; `same-site` and `cross-site` are refused.
 * - Without it (an older browser, or not a browser): no `Origin` passes (curl, the SDK, the CLI);
 *   an `Origin` passes only when its host is the request's `Host`, or it is one of `ownOrigins`
 *   (the public URL's, for a proxy that rewrites `Host`).
 *
 * Sign-in is guarded too: a form on another site must not sign the victim into an account of the
 * attacker's. `true` means refuse (403 `cross_origin_request`).
 */
export function crossOriginRefusal(
  method: string,
  headers: CrossOriginHeaders,
  ownOrigins: readonly string[] = [],
): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  const site = headers.secFetchSite?.trim().toLowerCase();
  if (site !== undefined && site !== '') return site !== 'same-origin' && site !== 'none';
  const origin = headers.origin?.trim();
  if (origin === undefined || origin === '') return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return true; // `null` (a sandboxed page, a redirect chain) and anything unreadable
  }
  if (parsed.origin === 'null') return true;
  if (ownOrigins.some((own) => own.toLowerCase() === parsed.origin)) return false;
  return headers.host === undefined || parsed.host !== headers.host.trim().toLowerCase();
}

/** The origins a server counts as its own besides its `Host`: the public URL's, when there is one. */
export function ownOriginsOf(publicUrl: URL | undefined): string[] {
  return publicUrl ? [publicUrl.origin] : [];
}

// ---------------------------------------------------------------------------------------------
// The errors, as the contract answers them
// ---------------------------------------------------------------------------------------------

export const hostNotAllowedError = (): LiveboardError =>
  new LiveboardError(
    'host_not_allowed',
    'Host: this server does not answer to that name (see LIVEBOARD_ALLOWED_HOSTS)',
    { field: 'Host' },
  );

export const credentialsInUrlError = (parameter: string): LiveboardError =>
  new LiveboardError(
    'credentials_in_url',
    `${parameter}: credentials are never accepted in a URL; send a token as Authorization: Bearer`,
    { field: parameter },
  );

export const crossOriginError = (): LiveboardError =>
  new LiveboardError(
    'cross_origin_request',
    'this write comes from another site (Sec-Fetch-Site or Origin); it is refused',
  );

/**
 * The checks that apply to a stream request (a GET: the cross-origin one never refuses it), in the
 * order the HTTP app applies them: the error to answer with, or undefined to serve the stream.
 */
export function streamRequestRefusal(
  target: string,
  hostHeader: string | undefined,
  allowedHosts: readonly string[],
): LiveboardError | undefined {
  if (!hostAllowed(hostHeader, allowedHosts)) return hostNotAllowedError();
  const parameter = credentialParameterIn(target);
  if (parameter !== undefined) return credentialsInUrlError(parameter);
  return undefined;
}
