import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSelfSignedCertificate } from '../test/support/tls.js';
import { ConfigError, loadConfig } from './config.js';

const certificate = makeSelfSignedCertificate();
const other = makeSelfSignedCertificate();
afterAll(() => {
  certificate.dispose();
  other.dispose();
});

describe('LIVEBOARD_TLS_CERT and LIVEBOARD_TLS_KEY', () => {
  it('are off by default: plain HTTP', () => {
    expect(loadConfig({}).tls).toBeUndefined();
    expect(loadConfig({ LIVEBOARD_TLS_CERT: '', LIVEBOARD_TLS_KEY: '' }).tls).toBeUndefined();
  });

  it('read both PEM files when both are given', () => {
    const { tls } = loadConfig({
      LIVEBOARD_TLS_CERT: certificate.certFile,
      LIVEBOARD_TLS_KEY: certificate.keyFile,
    });
    expect(tls?.cert.toString()).toContain('BEGIN CERTIFICATE');
    expect(tls?.key.toString()).toContain('PRIVATE KEY');
  });

  it('refuse one without the other, naming both', () => {
    expect(() => loadConfig({ LIVEBOARD_TLS_CERT: certificate.certFile })).toThrow(
      new ConfigError(
        'LIVEBOARD_TLS_CERT is set but LIVEBOARD_TLS_KEY is not: https needs both (PEM files), or neither',
      ),
    );
    expect(() => loadConfig({ LIVEBOARD_TLS_KEY: certificate.keyFile })).toThrow(
      /^LIVEBOARD_TLS_KEY is set but LIVEBOARD_TLS_CERT is not/,
    );
  });

  it('refuse a file that cannot be read, a file that is not PEM, and a key that is not the certificate’s', () => {
    const missing = join(certificate.certFile, '..', 'missing.pem');
    expect(() => loadConfig({ LIVEBOARD_TLS_CERT: missing, LIVEBOARD_TLS_KEY: certificate.keyFile })).toThrow(
      /^LIVEBOARD_TLS_CERT: cannot read '.*missing\.pem': ENOENT/,
    );

    const notPem = join(certificate.certFile, '..', 'not.pem');
    writeFileSync(notPem, 'hello');
    expect(() => loadConfig({ LIVEBOARD_TLS_CERT: certificate.certFile, LIVEBOARD_TLS_KEY: notPem })).toThrow(
      /^LIVEBOARD_TLS_CERT and LIVEBOARD_TLS_KEY .* are not a usable certificate and key/,
    );

    expect(() =>
      loadConfig({ LIVEBOARD_TLS_CERT: certificate.certFile, LIVEBOARD_TLS_KEY: other.keyFile }),
    ).toThrow(ConfigError);
  });
});

describe('LIVEBOARD_TRUST_PROXY', () => {
  it('trusts no proxy by default', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ LIVEBOARD_TRUST_PROXY: ' ' }).trustProxy).toBe(false);
  });

  it('takes addresses, CIDR ranges and the named ranges, separated by commas', () => {
    expect(
      loadConfig({ LIVEBOARD_TRUST_PROXY: '127.0.0.2, 10.0.0.0/8,::1,fd00::/8 , loopback' }).trustProxy,
    ).toEqual(['127.0.0.2', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback']);
  });

  it.each(['true', '*', 'proxy.example', '10.0.0.0/33', '::/129', '10.0.0.1/8/8', '1'])(
    'refuses %j, saying what it takes',
    (value) => {
      expect(() => loadConfig({ LIVEBOARD_TRUST_PROXY: value })).toThrow(
        /^LIVEBOARD_TRUST_PROXY takes addresses and CIDR ranges/,
      );
    },
  );
});

describe('LIVEBOARD_PUBLIC_URL', () => {
  it('is unset by default: no public name, cookies not Secure', () => {
    const config = loadConfig({});
    expect(config.publicUrl).toBeUndefined();
    expect(config.secureCookies).toBe(false);
  });

  it('takes an http or https origin; https makes the cookies Secure', () => {
    const https = loadConfig({ LIVEBOARD_PUBLIC_URL: 'https://Board.Example.com' });
    expect(https.publicUrl?.origin).toBe('https://board.example.com');
    expect(https.secureCookies).toBe(true);
    const http = loadConfig({ LIVEBOARD_PUBLIC_URL: 'http://board.example.com:8080/' });
    expect(http.publicUrl?.origin).toBe('http://board.example.com:8080');
    expect(http.secureCookies).toBe(false);
  });

  it.each([
    ['ftp://board.example.com', 'http or https only'],
    ['board.example.com', 'not a URL'],
    ['https://user:pw@board.example.com', 'no user or password'],
    ['https://board.example.com/liveboard', 'no path, query or fragment: the app is served at the root'],
    ['https://board.example.com/?x=1', 'no path, query or fragment: the app is served at the root'],
  ])('refuses %j (%s)', (value, why) => {
    expect(() => loadConfig({ LIVEBOARD_PUBLIC_URL: value })).toThrow(
      new ConfigError(
        `LIVEBOARD_PUBLIC_URL must be the http(s) origin browsers use, like https://board.example.com (${why}), got '${value}'`,
      ),
    );
  });
});

describe('LIVEBOARD_ALLOWED_HOSTS', () => {
  it('allows the loopback names by default, and the public URL’s host', () => {
    expect(loadConfig({}).allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]', '::1']);
    expect(loadConfig({ LIVEBOARD_PUBLIC_URL: 'https://board.example.com' }).allowedHosts).toEqual([
      'localhost',
      '127.0.0.1',
      '[::1]',
      '::1',
      'board.example.com',
    ]);
  });

  it('takes host names, lower-cased and without their port, in place of the default', () => {
    expect(
      loadConfig({
        LIVEBOARD_ALLOWED_HOSTS: ' Board.Example.com:443, 10.0.0.5:3000,[FD00::1]:80, fd00::2, intranet. ',
      }).allowedHosts,
    ).toEqual(['board.example.com', '10.0.0.5', '[fd00::1]', 'fd00::2', 'intranet']);
  });

  it('always keeps the public URL’s host', () => {
    expect(
      loadConfig({ LIVEBOARD_ALLOWED_HOSTS: 'intranet', LIVEBOARD_PUBLIC_URL: 'https://board.example.com' })
        .allowedHosts,
    ).toEqual(['intranet', 'board.example.com']);
  });

  it('takes * for any host', () => {
    expect(loadConfig({ LIVEBOARD_ALLOWED_HOSTS: '*' }).allowedHosts).toEqual(['*']);
    expect(loadConfig({ LIVEBOARD_ALLOWED_HOSTS: 'localhost, *' }).allowedHosts).toEqual(['*']);
  });

  it.each([
    'http://board.example.com',
    'board example',
    'board.example.com:port',
    '[not-v6]',
    'a/b',
    '-x.example',
  ])('refuses %j, saying what it takes', (value) => {
    expect(() => loadConfig({ LIVEBOARD_ALLOWED_HOSTS: value })).toThrow(
      /^LIVEBOARD_ALLOWED_HOSTS takes host names separated by commas .* or \* for any host; got '/,
    );
  });

  it('follows a public URL given as an override', () => {
    const config = loadConfig({}, { publicUrl: new URL('https://board.example.com') });
    expect(config.allowedHosts).toContain('board.example.com');
    expect(config.secureCookies).toBe(true);
  });
});

describe('LIVEBOARD_SIGNUP', () => {
  it('is open by default, and takes invite and closed', () => {
    expect(loadConfig({}).signup).toBe('open');
    expect(loadConfig({ LIVEBOARD_SIGNUP: 'invite' }).signup).toBe('invite');
    expect(loadConfig({ LIVEBOARD_SIGNUP: 'closed' }).signup).toBe('closed');
  });

  it('refuses anything else', () => {
    expect(() => loadConfig({ LIVEBOARD_SIGNUP: 'Open' })).toThrow(
      new ConfigError("LIVEBOARD_SIGNUP must be one of open, invite, closed, got 'Open'"),
    );
  });
});

describe('stream limits and session lifetime', () => {
  it('default to a day per stream, 64 streams per user, 256 anonymous streams per address, 30-day sessions', () => {
    const config = loadConfig({});
    expect(config.streamMaxAgeMs).toBe(86_400_000);
    expect(config.maxStreamsPerUser).toBe(64);
    expect(config.maxStreamsPerAddress).toBe(256);
    expect(config.sessionTtlMs).toBe(30 * 24 * 60 * 60 * 1000);
  });

  it('are read from the environment', () => {
    const config = loadConfig({
      LIVEBOARD_STREAM_MAX_AGE_S: '60',
      LIVEBOARD_MAX_STREAMS_PER_USER: '2',
      LIVEBOARD_MAX_STREAMS_PER_ADDRESS: '3',
    });
    expect([config.streamMaxAgeMs, config.maxStreamsPerUser, config.maxStreamsPerAddress]).toEqual([
      60_000, 2, 3,
    ]);
  });

  it.each([
    ['LIVEBOARD_STREAM_MAX_AGE_S', '0'],
    ['LIVEBOARD_MAX_STREAMS_PER_USER', '-1'],
    ['LIVEBOARD_MAX_STREAMS_PER_ADDRESS', 'many'],
  ])('refuse %s=%j', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name} must be an integer from 1 to`));
  });
});
