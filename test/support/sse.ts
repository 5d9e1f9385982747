/**
 * Real clients of the event stream for tests: the `eventsource` package (the spec's EventSource, with
 * its reconnects and Last-Event-ID) collecting every message, and a raw reader for the exact bytes.
 */
import { textWaiter } from './text-waiter.js';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { EventSource } from 'eventsource';
import type { StreamMessage } from '../../src/domain/index.js';

export interface ReceivedMessage {
  /** The SSE `id:` (EventSource's lastEventId) the message came with. */
  id: string;
  data: StreamMessage;
}

export interface StreamCollector {
  source: EventSource;
  messages: ReceivedMessage[];
  /** How many times the stream opened (1 + reconnects). */
  opens: number;
  errors: { code?: number | undefined; message?: string | undefined }[];
  /** Resolves once `predicate` holds for the messages so far; rejects after `timeoutMs`. */
  waitFor(
    predicate: (messages: ReceivedMessage[]) => boolean,
    timeoutMs?: number,
    what?: string,
  ): Promise<void>;
  /** Resolves once at least `count` messages arrived. */
  waitForCount(count: number, timeoutMs?: number): Promise<void>;
  waitForOpen(timeoutMs?: number): Promise<void>;
  close(): void;
}

export interface OpenStreamOptions {
  /** Sent as the `Last-Event-ID` header on the first request (EventSource sends its own on reconnect). */
  lastEventId?: string;
}

export function openStream(url: string, options: OpenStreamOptions = {}): StreamCollector {
  const firstLastEventId = options.lastEventId;
  let firstRequest = true;
  const source = new EventSource(url, {
    fetch: (input, init) => {
      const headers = { ...(init?.headers as Record<string, string> | undefined) };
      if (firstRequest && firstLastEventId !== undefined && !('Last-Event-ID' in headers)) {
        headers['Last-Event-ID'] = firstLastEventId;
      }
      firstRequest = false;
      return fetch(input, { ...init, headers });
    },
  });
  const messages: ReceivedMessage[] = [];
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const waiter of [...waiters]) waiter();
  };
  const collector: StreamCollector = {
    source,
    messages,
    opens: 0,
    errors: [],
    waitFor(predicate, timeoutMs = 5000, what = 'a condition on the stream') {
      return new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (predicate(messages)) {
            cleanup();
            resolve();
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${what}; got ${messages.length} messages ` +
                `(ids ${messages.map((m) => m.id).join(',')}), opens ${collector.opens}, ` +
                `errors ${JSON.stringify(collector.errors)}`,
            ),
          );
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    waitForCount(count, timeoutMs = 5000) {
      return collector.waitFor((received) => received.length >= count, timeoutMs, `${count} messages`);
    },
    waitForOpen(timeoutMs = 5000) {
      const opensBefore = collector.opens;
      if (source.readyState === EventSource.OPEN) return Promise.resolve();
      return collector.waitFor(() => collector.opens > opensBefore, timeoutMs, 'the stream to open');
    },
    close() {
      source.close();
    },
  };
  source.addEventListener('open', () => {
    collector.opens++;
    notify();
  });
  source.addEventListener('error', (event) => {
    const detail = event as Event & { code?: number; message?: string };
    collector.errors.push({ code: detail.code, message: detail.message });
    notify();
  });
  source.addEventListener('message', (event) => {
    messages.push({ id: event.lastEventId, data: JSON.parse(event.data as string) as StreamMessage });
    notify();
  });
  return collector;
}

export interface RawStream {
  response: IncomingMessage;
  status: number;
  headers: IncomingMessage['headers'];
  /** Everything read so far, as text (the server never compresses the stream). */
  text(): string;
  /** Resolves once the text read so far satisfies `predicate`, or rejects after `timeoutMs`. */
  waitForText(predicate: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Resolves when the server ends the response. */
  ended: Promise<void>;
  close(): void;
}

/**
 * Opens the stream with node:http, so the test sees the status, headers and body bytes exactly as
 * the server sent them (fetch would decompress and hide a Content-Encoding mistake).
 */
export function openRawStream(url: string, headers: Record<string, string> = {}): Promise<RawStream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (response) => {
      const received = textWaiter();
      let endResolve: () => void = () => {};
      const ended = new Promise<void>((resolveEnd) => (endResolve = resolveEnd));
      response.on('data', (chunk: Buffer) => received.append(chunk.toString('utf8')));
      response.on('end', () => endResolve());
      response.on('close', () => endResolve());
      response.on('error', () => endResolve());
      resolve({
        response,
        status: response.statusCode ?? 0,
        headers: response.headers,
        text: received.text,
        waitForText: received.waitForText,
        ended,
        close() {
          req.destroy();
        },
      });
    });
    req.on('error', reject);
    req.end();
  });
}
