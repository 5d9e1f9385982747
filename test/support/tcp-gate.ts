import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP relay in front of a test server that the test can shut, so that a client is kept away for
 * exactly as long as the test needs (say, while it writes events the client must later resume),
 * whatever the client's retry timer does. While shut, every new connection is dropped at once (the
 * client sees a network error and tries again later); open ones are left alone.
 */
export interface TcpGate {
  port: number;
  shut(): void;
  open(): void;
  close(): Promise<void>;
}

export async function tcpGate(targetPort: number): Promise<TcpGate> {
  let shut = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (shut) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    shut: () => void (shut = true),
    open: () => void (shut = false),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
