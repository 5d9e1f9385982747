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
