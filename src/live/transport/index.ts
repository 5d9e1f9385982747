/**
 * How SSE bytes reach a client, apart from what a stream says (../sse-stream.ts): which requests
 * are streams, and the two kinds of connection that carry them.
 */
export { createStreamServer } from './stream-server.js';
export type { StreamHandler } from './new-connections.js';
export type { ConnectionCloseListener, StreamConnection } from './stream-connection.js';
export type { StreamRequest } from './stream-request.js';
