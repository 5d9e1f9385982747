import { describe, expect, it } from 'vitest';
import { LiveboardError } from '../../domain/errors.js';
import {
  CREDENTIAL_PARAMETERS,
  credentialParameterIn,
  credentialsInUrl,
  crossOriginRefusal,
  hostAllowed,
  hostName,
  ownOriginsOf,
  streamRequestRefusal,
} from './request-guards.js';

const LOCAL = ['localhost', '127.0.0.1', '[::1]', '::1'];

describe('hostAllowed', () => {
  it.each([
    'localhost',
    'localhost:3000',
    'LOCALHOST:3000',
    'localhost.',
    '127.0.0.1',
    '127.0.0.1:3000',
    '[::1]',
    '[::1]:3000',
    '::1',
  ])('allows the loopback name %j by default', (host) => {
    expect(hostAllowed(host, LOCAL)).toBe(true);
  });

  it.each([
    'attacker.example',
    'attacker.example:3000',
    'localhost.attacker.example',
    '127.0.0.2',
    '[::2]:3000',
    '',
    ' ',
    ':3000',
    '[',
  ])('refuses %j', (host) => {
    expect(hostAllowed(host, LOCAL)).toBe(false);
  });

  it('refuses a request without Host, unless any host is allowed', () => {
    expect(hostAllowed(undefined, LOCAL)).toBe(false);
    expect(hostAllowed(undefined, ['*'])).toBe(true);
    expect(hostAllowed('attacker.example', ['*'])).toBe(true);
  });

  it('matches configured names whatever their case, port, brackets or trailing dot', () => {
    const allowed = ['Board.Example.com', '[FD00::1]', 'fd00::2', '10.0.0.5:8080'];
    expect(hostAllowed('board.example.com:443', allowed)).toBe(true);
    expect(hostAllowed('board.example.com.', allowed)).toBe(true);
    expect(hostAllowed('[fd00::1]:80', allowed)).toBe(true);
    expect(hostAllowed('[fd00::2]', allowed)).toBe(true);
    expect(hostAllowed('10.0.0.5', allowed)).toBe(true);
    expect(hostAllowed('example.com', allowed)).toBe(false);
  });

  it('hostName takes the host alone', () => {
    expect(hostName('Name.Example:8080')).toBe('name.example');
    expect(hostName('[::1]:3000')).toBe('::1');
    expect(hostName('::1')).toBe('::1');
    expect(hostName('example.com.')).toBe('example.com');
  });
});

describe('credentialsInUrl', () => {
  it.each([
    '/boards/board-1/events?access_token=abc',
    '/boards/board-1/events?token=',
    '/boards/board-1/poll?after=3&TOKEN=abc',
    '/events?boards=a:1&Access_Token=x',
    '/me?api_key=1',
    '/me?apikey=1',
    '/me?auth=1',
    '/me?session=1',
    '/me?liveboard_session=1',
    '/me?password=hunter2',
    '/me?secret=1',
    '/me?%74oken=abc', // percent-encoded name
    '/boards?x=lbp_abcdefghijklmnopqrstuvwxyz0123456789', // an API token, whatever its name
  ])('finds a credential in %j', (target) => {
    expect(credentialsInUrl(target)).toBe(true);
  });

  it.each([
    '/boards',
    '/boards?',
    '/boards/board-1/events?lastEventId=5',
    '/boards/board-1/poll?after=3&timeout=20',
    '/events?boards=board-1:12,board-2:7',
    '/boards/token/tasks',
    '/boards?tokens=1',
    '/boards#token=abc',
    '/boards?a=1#token=abc',
  ])('finds none in %j', (target) => {
    expect(credentialsInUrl(target)).toBe(false);
  });

  it('names the parameter at fault, as it was written', () => {
    expect(credentialParameterIn('/boards?after=1&Access_Token=x&token=y')).toBe('Access_Token');
    expect(credentialParameterIn('/boards?after=1')).toBeUndefined();
  });

  it('keeps its list lower-case, so that matching is case-insensitive', () => {
    for (const name of CREDENTIAL_PARAMETERS) expect(name).toBe(name.toLowerCase());
  });
});

describe('crossOriginRefusal (Go 1.25 CrossOriginProtection)', () => {
  const host = 'board.example.com';

  it.each(['GET', 'HEAD', 'OPTIONS', 'get'])('never refuses %s', (method) => {
    expect(
      crossOriginRefusal(method, { secFetchSite: 'cross-site', origin: 'https://evil.example', host }),
    ).toBe(false);
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])(
    'with Sec-Fetch-Site, %s passes only same-origin and none',
    (method) => {
      expect(crossOriginRefusal(method, { secFetchSite: 'same-origin', host })).toBe(false);
      expect(crossOriginRefusal(method, { secFetchSite: 'none', host })).toBe(false);
      expect(crossOriginRefusal(method, { secFetchSite: 'Same-Origin', host })).toBe(false);
      expect(crossOriginRefusal(method, { secFetchSite: 'same-site', host })).toBe(true);
      expect(crossOriginRefusal(method, { secFetchSite: 'cross-site', host })).toBe(true);
      expect(crossOriginRefusal(method, { secFetchSite: 'anything', host })).toBe(true);
    },
  );

  it('trusts Sec-Fetch-Site over a matching Origin', () => {
    expect(crossOriginRefusal('POST', { secFetchSite: 'cross-site', origin: `https://${host}`, host })).toBe(
      true,
    );
  });

  it('without Sec-Fetch-Site, passes a request without Origin (curl, the SDK, the CLI)', () => {
    expect(crossOriginRefusal('POST', { host })).toBe(false);
    expect(crossOriginRefusal('DELETE', {})).toBe(false);
    expect(crossOriginRefusal('POST', { secFetchSite: '', origin: '', host })).toBe(false);
  });

  it('without Sec-Fetch-Site, passes an Origin whose host is the request’s Host, and refuses others', () => {
    expect(crossOriginRefusal('POST', { origin: `https://${host}`, host })).toBe(false);
    expect(crossOriginRefusal('POST', { origin: 'http://localhost:3000', host: 'LOCALHOST:3000' })).toBe(
      false,
    );
    expect(crossOriginRefusal('POST', { origin: 'http://localhost:3001', host: 'localhost:3000' })).toBe(
      true,
    );
    expect(crossOriginRefusal('POST', { origin: 'https://evil.example', host })).toBe(true);
    expect(crossOriginRefusal('POST', { origin: 'null', host })).toBe(true);
    expect(crossOriginRefusal('POST', { origin: 'not a url', host })).toBe(true);
    expect(crossOriginRefusal('POST', { origin: `https://${host}` })).toBe(true);
  });

  it('without Sec-Fetch-Site, passes the public URL’s origin behind a proxy that rewrites Host', () => {
    const own = ownOriginsOf(new URL('https://board.example.com'));
    expect(own).toEqual(['https://board.example.com']);
    expect(
      crossOriginRefusal('POST', { origin: 'https://board.example.com', host: '127.0.0.1:3000' }, own),
    ).toBe(false);
    expect(
      crossOriginRefusal('POST', { origin: 'http://board.example.com', host: '127.0.0.1:3000' }, own),
    ).toBe(true);
    expect(ownOriginsOf(undefined)).toEqual([]);
  });
});

describe('streamRequestRefusal', () => {
  it('refuses a foreign Host first, then a credential in the URL, as the HTTP app does', () => {
    const foreign = streamRequestRefusal('/boards/b/events?token=x', 'attacker.example', LOCAL);
    expect(foreign).toBeInstanceOf(LiveboardError);
    expect(foreign?.code).toBe('host_not_allowed');
    expect(foreign?.status).toBe(400);

    const inUrl = streamRequestRefusal('/boards/b/events?token=x', 'localhost:3000', LOCAL);
    expect(inUrl?.code).toBe('credentials_in_url');
    expect(inUrl?.toJSON().error.field).toBe('token');
    expect(JSON.stringify(inUrl)).not.toContain('x&');

    expect(streamRequestRefusal('/boards/b/events?lastEventId=3', 'localhost:3000', LOCAL)).toBeUndefined();
  });
});
