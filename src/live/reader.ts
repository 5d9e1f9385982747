/**
 * Who reads a stream or a poll, as far as live/ needs to know: whose boards it may follow, which
 * credential a revocation would name, and where it comes from (for the per-address caps). The HTTP
 * layer makes it from the request's principal.
 */
export interface Reader {
  /** null: anonymous. */
  userId: string | null;
  /** The credential it came with (`session:<hash>` or `token:<id>`); null for anonymous. */
  credential: string | null;
  address: string;
  /**
   * When (performance.now()) the credential was found good, or a moment before: a revocation heard
   * after it, before the stream or poll took its place among the open ones, still ends it.
   */
  checkedAt?: number;
}

/** A reader with no account: what tests and the operator's own tools read as. */
export const ANONYMOUS_READER: Reader = { userId: null, credential: null, address: '' };
