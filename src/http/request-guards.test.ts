import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import compress from '@fastify/compress';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../../test/support/server.js';
import { LiveboardError } from '../domain/index.js';
import { replyWithError } from './errors.js';
import { APP_CONTENT_SECURITY_POLICY, requestGuards, type RequestGuardsConfig } from './request-guards.js';
import { webAppRoutes } from './routes/web-app.js';

const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];

/** A bare app with the HTTP app's error handling and body parsing (app.ts), and the guards. */
async function guardedApp(config: Partial<RequestGuardsConfig> = {}): Promise<FastifyInstance> {
  const app = Fastify();
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, String(body) === '' ? undefined : JSON.parse(String(body)));
    } catch {
      done(new LiveboardError('invalid_json', 'the request body is not valid JSON'), undefined);
    }
  });
  app.setErrorHandler((error, request, reply) => replyWithError(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    replyWithError(new LiveboardError('route_not_found', 'no such route'), request, reply),
  );
  // A route registered before the guards, and one in an encapsulated plugin: both guarded.
  app.get('/before', async () => ({ ok: true }));
  await app.register(requestGuards({ allowedHosts: [...LOCAL_HOSTS], publicUrl: undefined, ...config }));
  await app.register(compress, { threshold: 1 });
  await app.register(async (child) => {
    child.get('/things', async () => ({ things: ['a'.repeat(100)] }));
    child.post('/things', async (request) => ({ got: request.body ?? null }));
    child.delete('/things', async () => ({ deleted: true }));
    child.get('/no-store', async (_request, reply) => reply.header('Cache-Control', 'no-store').send({}));
    child.get('/shared', async (_request, reply) =>
      reply.header('Cache-Control', 'public, max-age=60').header('Vary', 'Accept').send({}),
    );
  });
  return app;
}

let app: FastifyInstance;
beforeAll(async () => {
  app = await guardedApp();
});
afterAll(async () => {
  await app.close();
});

const errorOf = (response: { json(): unknown }) =>
  (response.json() as { error: Record<string, unknown> }).error;

describe('Host', () => {
  it.each(['localhost', 'localhost:3000', '127.0.0.1:3000', '[::1]:3000'])('%j is served', async (host) => {
    const response = await app.inject({ url: '/things', headers: { host } });
    expect(response.statusCode).toBe(200);
  });

  it.each(['/things', '/before', '/nowhere'])(
    'anything else is 400 host_not_allowed, on %s too',
    async (url) => {
      const response = await app.inject({ url, headers: { host: 'attacker.example' } });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(errorOf(response)).toEqual({
        code: 'host_not_allowed',
        message: 'Host: this server does not answer to that name (see LIVEBOARD_ALLOWED_HOSTS)',
        field: 'Host',
      });
    },
  );

  it('a write to a foreign Host changes nothing: the route never runs', async () => {
    let ran = false;
    const local = await guardedApp();
    local.addHook('preHandler', async () => {
      ran = true;
    });
    const response = await local.inject({
      method: 'POST',
      url: '/things',
      headers: { host: 'evil.example' },
    });
    expect(response.statusCode).toBe(400);
    expect(ran).toBe(false);
    await local.close();
  });

  it('* allows any host', async () => {
    const open = await guardedApp({ allowedHosts: ['*'] });
    expect((await open.inject({ url: '/things', headers: { host: 'anything.example' } })).statusCode).toBe(
      200,
    );
    await open.close();
  });
});

describe('credentials in the URL', () => {
  it.each(['/things?access_token=abc', '/things?token=', '/nowhere?api_key=1', '/things?a=lbp_x'])(
    '%s is 400 credentials_in_url, naming the parameter',
    async (url) => {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(400);
      const error = errorOf(response);
      expect(error.code).toBe('credentials_in_url');
      expect(error.field).toBe(new URLSearchParams(url.split('?')[1]).keys().next().value);
    },
  );

  it('is checked after Host, and before the cross-origin check', async () => {
    const both = await app.inject({ url: '/things?token=x', headers: { host: 'evil.example' } });
    expect(errorOf(both).code).toBe('host_not_allowed');
    const crossSite = await app.inject({
      method: 'POST',
      url: '/things?token=x',
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(errorOf(crossSite).code).toBe('credentials_in_url');
  });
});

describe('cross-origin writes', () => {
  const json = { 'content-type': 'application/json' };

  it.each(['POST', 'DELETE'] as const)(
    '%s with Sec-Fetch-Site cross-site or same-site is 403',
    async (method) => {
      for (const site of ['cross-site', 'same-site']) {
        const response = await app.inject({
          method,
          url: '/things',
          headers: { ...json, 'sec-fetch-site': site },
        });
        expect(response.statusCode).toBe(403);
        expect(errorOf(response).code).toBe('cross_origin_request');
      }
    },
  );

  it('passes same-origin, none, and requests with neither Sec-Fetch-Site nor Origin', async () => {
    for (const headers of [{ 'sec-fetch-site': 'same-origin' }, { 'sec-fetch-site': 'none' }, {}]) {
      const response = await app.inject({
        method: 'POST',
        url: '/things',
        headers: { ...json, ...headers },
        payload: '{}',
      });
      expect(response.statusCode).toBe(200);
    }
  });

  it('without Sec-Fetch-Site, passes an Origin matching Host and refuses another', async () => {
    const same = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { ...json, host: 'localhost:3000', origin: 'http://localhost:3000' },
    });
    expect(same.statusCode).toBe(200);
    const foreign = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { ...json, host: 'localhost:3000', origin: 'https://evil.example' },
    });
    expect(foreign.statusCode).toBe(403);
    expect(errorOf(foreign).code).toBe('cross_origin_request');
  });

  it('passes the public URL’s origin behind a proxy that rewrites Host', async () => {
    const proxied = await guardedApp({ publicUrl: new URL('https://board.example.com') });
    const response = await proxied.inject({
      method: 'POST',
      url: '/things',
      headers: { ...json, host: '127.0.0.1:3000', origin: 'https://board.example.com' },
    });
    expect(response.statusCode).toBe(200);
    await proxied.close();
  });

  it('never refuses a read', async () => {
    const response = await app.inject({
      url: '/things',
      headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    });
    expect(response.statusCode).toBe(200);
  });

  it('a same-origin form post is 415: only JSON bodies are read', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
      payload: 'title=hello',
    });
    expect(response.statusCode).toBe(415);
    expect(errorOf(response).code).toBe('unsupported_media_type');
  });
});

describe('response headers', () => {
  it('an API answer is private, not stored, and varies on the credentials', async () => {
    const response = await app.inject({ url: '/things', headers: { 'accept-encoding': 'gzip' } });
    expect(response.headers['cache-control']).toBe('private, no-store');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    const vary = String(response.headers.vary)
      .toLowerCase()
      .split(/\s*,\s*/);
    expect(vary).toEqual(expect.arrayContaining(['cookie', 'authorization', 'accept-encoding']));
  });

  it('an error answer too, a refused one included', async () => {
    for (const url of ['/nowhere', '/things?token=x']) {
      const response = await app.inject({ url });
      expect(response.headers['cache-control']).toBe('private, no-store');
      expect(response.headers.vary).toBe('Cookie, Authorization');
    }
  });

  it('keeps a route’s own Cache-Control, and varies it on the credentials', async () => {
    const response = await app.inject({ url: '/no-store' });
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.vary).toBe('Cookie, Authorization');
  });

  it('leaves a shareable answer (Cache-Control: public) alone', async () => {
    const response = await app.inject({ url: '/shared' });
    expect(response.headers['cache-control']).toBe('public, max-age=60');
    expect(response.headers.vary).toBe('Accept');
  });
});

describe('the web app’s pages', () => {
  let webRoot: string;
  let web: FastifyInstance;
  beforeAll(async () => {
    webRoot = mkdtempSync(join(tmpdir(), 'liveboard-web-'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Liveboard</title>');
    mkdirSync(join(webRoot, 'assets'));
    writeFileSync(join(webRoot, 'assets', 'index-abc.js'), 'console.log(1)');
    web = await guardedApp();
    await web.register(webAppRoutes(webRoot));
  });
  afterAll(async () => {
    await web.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it.each(['/', '/b/board-1', '/index.html'])(
    '%s carries the CSP, Referrer-Policy and nosniff',
    async (url) => {
      const response = await web.inject({ url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['content-security-policy']).toBe(APP_CONTENT_SECURITY_POLICY);
      expect(response.headers['referrer-policy']).toBe('same-origin');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['cache-control']).toBe('no-cache');
    },
  );

  it('the CSP allows only this origin’s scripts, styles and connections, and no framing', () => {
    expect(APP_CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(APP_CONTENT_SECURITY_POLICY).toContain("connect-src 'self'");
    expect(APP_CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(APP_CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });

  it('a hashed asset stays shareable and immutable', async () => {
    const response = await web.inject({ url: '/assets/index-abc.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers.vary ?? '').not.toMatch(/cookie/i);
    expect(response.headers['content-security-policy']).toBeUndefined();
  });
});

describe('against a started server', () => {
  const live = useServer();

  /** node:http, because fetch does not let a test choose the Host header. */
  const send = (
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<{ status: number; headers: Record<string, unknown>; body: { error?: { code: string } } }> =>
    new Promise((resolve, reject) => {
      const request = httpRequest(`${live.server.url}${path}`, { method, headers }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: text ? JSON.parse(text) : {},
          }),
        );
      });
      request.on('error', reject);
      request.end(body);
    });

  it('a form post is 415 unsupported_media_type, and creates nothing', async () => {
    const before = (await live.api.get<unknown[]>('/boards')).text;
    const response = await send(
      'POST',
      '/boards',
      { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
      'title=Hello',
    );
    expect(response.status).toBe(415);
    expect(response.body.error?.code).toBe('unsupported_media_type');
    expect((await live.api.get<unknown[]>('/boards')).text).toBe(before);
  });

  it('Host: attacker.example is 400 host_not_allowed, on REST and on the stream', async () => {
    for (const path of ['/boards', '/boards/board-1/events']) {
      const response = await send('GET', path, { host: 'attacker.example' });
      expect(response.status).toBe(400);
      expect(response.body.error?.code).toBe('host_not_allowed');
    }
  });

  it('a token in the URL is 400 credentials_in_url, on REST, the stream and the poll', async () => {
    for (const path of [
      '/boards?access_token=x',
      '/boards/board-1/events?token=x',
      '/boards/board-1/poll?token=x',
    ]) {
      const response = await send('GET', path, {});
      expect(response.status).toBe(400);
      expect(response.body.error?.code).toBe('credentials_in_url');
    }
  });

  it('a cross-site write is 403 cross_origin_request', async () => {
    const response = await send(
      'POST',
      '/boards/board-1/lists',
      { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      '{"title":"pwned"}',
    );
    expect(response.status).toBe(403);
    expect(response.body.error?.code).toBe('cross_origin_request');
  });

  it('an API answer is private, not stored, and varies on the credentials', async () => {
    const response = await send('GET', '/boards', {});
    expect(response.headers['cache-control']).toBe('private, no-store');
    expect(String(response.headers.vary)).toMatch(/Cookie, Authorization/);
  });
});
