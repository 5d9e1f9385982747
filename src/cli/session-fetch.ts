/**
 * A fetch that keeps the cookies the server sets and sends them back: Node's fetch keeps none. The
 * CLI uses it for the few moments a session lives (`login`, `tokens`): sign in, do the one thing
 * that needs a session, sign out. Nothing of it is written anywhere.
 */
export function sessionFetch(base: typeof fetch = globalThis.fetch): typeof fetch {
  const jar = new Map<string, string>();
  return async (input, init = {}) => {
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await base(input, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';', 1)[0]!;
      const at = pair.indexOf('=');
      if (at <= 0) continue;
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      // A cleared cookie (sign-out) comes back empty, or already expired.
      if (value === '' || /;\s*max-age=0/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  };
}
