import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions, pathOf, REDACTED } from './logging.js';

const PASSWORD = 'correct horse battery staple';
const TOKEN = 'lbp_0123456789abcdefghijklmnopqrstuvwxyzAB';
const INVITATION = 'inv_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const COOKIE = 'liveboard_session=c2VjcmV0LXNlc3Npb24tdmFsdWUtMzItYnl0ZXM';

describe('loggerOptions at LOG_LEVEL=debug', () => {
  const lines: string[] = [];
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify({
      logger: loggerOptions({ logLevel: 'debug' }, { write: (line) => void lines.push(line) }),
      logController: new LogController({ disableRequestLogging: true }),
    });
    app.post('/auth/signin', async (request, reply) => {
      // What a careless line might log: the body, the request, its headers, the reply's headers.
      request.log.debug({ body: request.body }, 'sign-in body');
      request.log.debug({ req: request }, 'the request');
      request.log.debug(
        { request: { headers: request.headers, body: request.body } },
        'the request, by hand',
      );
      request.log.debug({ headers: request.headers }, 'headers');
      request.log.debug(request.body as object, 'the body as the line');
      void reply.header('Set-Cookie', `${COOKIE}; HttpOnly; Path=/`);
      request.log.debug({ reply: { headers: reply.getHeaders() } }, 'reply headers');
      return { user: { username: 'ana' } };
    });
    app.post('/me/password', async (request) => {
      request.log.debug({ body: request.body }, 'password change');
      return {};
    });
    // app.ts's request line, with the helper it uses.
    app.addHook('onResponse', async (request, reply) => {
      request.log.debug(
        { method: request.method, url: pathOf(request.url), status: reply.statusCode },
        'request',
      );
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('never writes a password, a Bearer token, a cookie or a query string', async () => {
    const signIn = await app.inject({
      method: 'POST',
      url: `/auth/signin?access_token=${TOKEN}`,
      headers: { authorization: `Bearer ${TOKEN}`, cookie: COOKIE, 'content-type': 'application/json' },
      payload: { username: 'ana', password: PASSWORD },
    });
    expect(signIn.statusCode).toBe(200);
    const change = await app.inject({
      method: 'POST',
      url: '/me/password',
      headers: { 'content-type': 'application/json' },
      payload: {
        currentPassword: PASSWORD,
        newPassword: `${PASSWORD}!`,
        token: TOKEN,
        secret: TOKEN,
        invitation: INVITATION,
      },
    });
    expect(change.statusCode).toBe(200);

    const output = lines.join('');
    // The lines were written: the test would prove nothing otherwise.
    for (const message of ['sign-in body', 'the request', 'headers', 'reply headers', 'password change']) {
      expect(output).toContain(`"msg":"${message}"`);
    }
    expect(output).toContain('"username":"ana"');
    expect(output).toContain(REDACTED);
    expect(output).toContain('"url":"/auth/signin"');

    expect(output).not.toContain(PASSWORD);
    expect(output).not.toContain(TOKEN);
    expect(output).not.toContain(INVITATION);
    expect(output).not.toContain('c2VjcmV0');
    expect(output).not.toContain('access_token');
  });
});

describe('pathOf', () => {
  it('keeps the path, drops the query string and fragment', () => {
    expect(pathOf('/boards/b/events?token=x')).toBe('/boards/b/events');
    expect(pathOf('/boards#x')).toBe('/boards');
    expect(pathOf('/boards')).toBe('/boards');
    expect(pathOf('/?')).toBe('/');
  });
});
