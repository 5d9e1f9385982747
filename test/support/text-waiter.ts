/**
 * The text a test reads off a stream, as it arrives, and a wait for what it expects in it: one
 * helper for every raw stream the tests open (HTTP/1.1, HTTPS, HTTP/2).
 */
export interface TextWaiter {
  /** Adds what arrived and wakes the waits it satisfies. */
  append(chunk: string): void;
  /** Everything read so far. */
  text(): string;
  /** Resolves once the text read so far satisfies `predicate`, or rejects after `timeoutMs`. */
  waitForText(predicate: (text: string) => boolean, timeoutMs?: number): Promise<string>;
}

export function textWaiter(): TextWaiter {
  let text = '';
  const listeners = new Set<() => void>();
  return {
    append(chunk) {
      text += chunk;
      for (const listener of [...listeners]) listener();
    },
    text: () => text,
    waitForText(predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (!predicate(text)) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve(text);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out after ${timeoutMs} ms; stream so far:\n${text}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
  };
}
