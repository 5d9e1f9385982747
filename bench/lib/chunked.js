// Incremental decoder for HTTP/1.1 `Transfer-Encoding: chunked`, as browsers see an SSE body.
// State survives across socket reads, so a chunk-size line or a chunk may be split anywhere.
export class ChunkedDecoder {
  constructor() {
    this.size = -1; // bytes left in the current chunk; -1 while reading a size line
    this.sizeLine = '';
    this.skip = 0; // CRLF bytes still to skip after a chunk
  }

  /** Feeds raw body bytes; calls `onPiece(buffer, from, to)` with each run of decoded payload. */
  push(buffer, onPiece) {
    let at = 0;
    while (at < buffer.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, buffer.length - at);
        this.skip -= n;
        at += n;
        continue;
      }
      if (this.size < 0) {
        const nl = buffer.indexOf(10, at);
        if (nl < 0) {
          this.sizeLine += buffer.toString('latin1', at);
          return;
        }
        this.sizeLine += buffer.toString('latin1', at, nl);
        at = nl + 1;
        this.size = parseInt(this.sizeLine, 16); // ignores chunk extensions and the trailing CR
        this.sizeLine = '';
        if (this.size === 0) return; // last chunk: the stream is over
        continue;
      }
      const n = Math.min(this.size, buffer.length - at);
      onPiece(buffer, at, at + n);
      this.size -= n;
      at += n;
      if (this.size === 0) {
        this.size = -1;
        this.skip = 2;
      }
    }
  }
}
