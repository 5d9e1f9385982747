/**
 * The session cookie: its name, reading it from a Cookie header, and the Set-Cookie that sets or
 * clears it. Parsed by hand because the stream is served before Fastify (and its cookie plugin) see
 * the request; it is one name out of a header, nothing more.
 */
export const SESSION_COOKIE = 'liveboard_session';
/** Over https the `__Host-` prefix binds the cookie to this host, path / and Secure (no subdomain may set it). */
export const SECURE_SESSION_COOKIE = '__Host-liveboard_session';

export function sessionCookieName(secure: boolean): string {
  return secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/** The value of cookie `name`, or undefined. When a header repeats the name, the first wins (RFC 6265 §5.4 order). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() !== name) continue;
    const value = part.slice(index + 1).trim();
    return value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1) : value;
  }
  return undefined;
}

export function sessionCookie(name: string, value: string, maxAgeSeconds: number, secure: boolean): string {
  const attributes = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}

export function clearedSessionCookie(name: string, secure: boolean): string {
  return sessionCookie(name, '', 0, secure);
}
