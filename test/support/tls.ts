/**
 * TLS and HTTP/2 for tests: a self-signed certificate made with the machine's openssl, and a small
 * HTTP/2 client over ONE session (node:http2), for JSON requests and for SSE streams read as text.
 */
import { textWaiter } from './text-waiter.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import {
  connect,
  constants,
  type ClientHttp2Session,
  type ClientHttp2Stream,
  type IncomingHttpHeaders,
} from 'node:http2';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';

export interface TestCertificate {
  certFile: string;
  keyFile: string;
  /** The certificate itself: clients trust it as their CA. */
  cert: Buffer;
  dispose(): void;
}

/** A P-256 certificate for `localhost` and 127.0.0.1, valid for a day, in a temporary folder. */
export function makeSelfSignedCertificate(): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'liveboard-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return {
    certFile,
    keyFile,
    cert: readFileSync(certFile),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface H2Response {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed JSON body, or undefined when it is not JSON. */
  body: unknown;
}

export interface H2TextStream {
  status: number;
  headers: IncomingHttpHeaders;
  /** Everything read so far (never decompressed: a Content-Encoding would show as garbage). */
  text(): string;
  /** Resolves once the text so far satisfies `predicate`; rejects after `timeoutMs`. */
  waitForText(predicate: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Stops reading: what the server sends piles up in the stream's flow-control window. */
  pause(): void;
  resume(): void;
  /** Resolves once the stream is closed (and read to its end), with its RST_STREAM code (0: none). */
  closed: Promise<number>;
  close(): void;
}

/** One HTTP/2 session: every request and stream made through it is multiplexed on one connection. */
export interface H2Client {
  session: ClientHttp2Session;
  request(
    method: string,
    path: string,
    options?: { json?: unknown; headers?: Record<string, string> },
  ): Promise<H2Response>;
  /** Opens a stream and resolves once its response headers are in. */
  openStream(path: string, headers?: Record<string, string>): Promise<H2TextStream>;
  close(): Promise<void>;
}

export async function connectH2(
  origin: string,
  options: { ca?: Buffer; localAddress?: string } = {},
): Promise<H2Client> {
  const { hostname, port } = new URL(origin);
  // Its own TLS connection, to choose the local address it comes from (http2.connect cannot).
  const session = connect(origin, {
    createConnection: () =>
      tlsConnect({
        socket: netConnect({ host: hostname, port: Number(port), localAddress: options.localAddress }),
        host: hostname,
        ca: options.ca,
        ALPNProtocols: ['h2'],
      }),
  });
  await new Promise<void>((resolve, reject) => {
    session.once('connect', () => resolve());
    session.once('error', reject);
  });
  session.on('error', () => undefined);

  const start = (
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): ClientHttp2Stream => {
    const stream = session.request({
      [constants.HTTP2_HEADER_METHOD]: method,
      [constants.HTTP2_HEADER_PATH]: path,
      ...headers,
    });
    if (body === undefined) stream.end();
    else stream.end(body);
    return stream;
  };

  return {
    session,
    request(method, path, { json, headers = {} } = {}) {
      const body = json === undefined ? undefined : JSON.stringify(json);
      const stream = start(
        method,
        path,
        body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body,
      );
      return new Promise((resolve, reject) => {
        let responseHeaders: IncomingHttpHeaders = {};
        const chunks: Buffer[] = [];
        stream.on('response', (received) => (responseHeaders = received));
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', reject);
        stream.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({
            status: Number(responseHeaders[constants.HTTP2_HEADER_STATUS]),
            headers: responseHeaders,
            text,
            body: parsed,
          });
        });
      });
    },
    openStream(path, headers = {}) {
      const stream = start('GET', path, headers);
      const closed = new Promise<number>((resolveClosed) =>
        stream.once('close', () => resolveClosed(stream.rstCode ?? 0)),
      );
      return new Promise((resolve, reject) => {
        const body = textWaiter();
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => body.append(chunk));
        stream.on('error', reject);
        stream.on('response', (received) =>
          resolve({
            status: Number(received[constants.HTTP2_HEADER_STATUS]),
            headers: received,
            text: body.text,
            waitForText: body.waitForText,
            pause: () => stream.pause(),
            resume: () => stream.resume(),
            closed,
            close: () => stream.close(constants.NGHTTP2_CANCEL),
          }),
        );
      });
    },
    close() {
      return new Promise((resolve) => {
        if (session.closed || session.destroyed) return resolve();
        session.close(() => resolve());
        // A session whose peer has gone quiet would wait forever for its streams.
        setTimeout(() => {
          session.destroy();
          resolve();
        }, 1000).unref();
      });
    },
  };
}
