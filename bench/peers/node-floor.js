// The in-language floor: the least a node:http program must do to broadcast one board over SSE.
// No store, no history, no backpressure handling: Liveboard does strictly more per event, so this
// is the speed it cannot hope to beat by much and should not fall far behind.
//   GET  /events   an SSE stream (opens with `retry:`)
//   POST /publish  body = the event's data; answers 201 with Board-Seq, after writing it to every stream
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 3999);
const host = process.env.HOST ?? '127.0.0.1';
const streams = new Set();
let seq = 0;

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url.startsWith('/events')) {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    streams.add(res);
    res.on('close', () => streams.delete(res));
    return;
  }
  if (req.method === 'POST' && req.url === '/publish') {
    const parts = [];
    req.on('data', (part) => parts.push(part));
    req.on('end', () => {
      seq++;
      // Encode once, write the same bytes to every stream.
      const frame = Buffer.from(`id: ${seq}\ndata: ${Buffer.concat(parts).toString()}\n\n`);
      for (const stream of streams) stream.write(frame);
      res.writeHead(201, { 'Board-Seq': String(seq), 'Content-Length': '0' });
      res.end();
    });
    return;
  }
  if (req.url === '/healthz') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true}');
    return;
  }
  res.writeHead(404);
  res.end();
});

server.keepAliveTimeout = 60_000;
server.listen(port, host, 4096);
process.on('SIGTERM', () => process.exit(0));
