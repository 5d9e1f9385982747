// Preloaded into each Liveboard process by bench/scaling/simulate-day.js (NODE_OPTIONS=--import),
// so that the server's own code is measured as it is, untouched: once a second it sends one UDP
// datagram to 127.0.0.1:SCALING_PROBE_PORT with the process's event-loop delay (perf_hooks), CPU
// time, memory and open handles. Nothing here keeps the process alive.
import cluster from 'node:cluster';
import { createSocket } from 'node:dgram';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const port = Number(process.env.SCALING_PROBE_PORT);
if (port > 0) {
  const socket = createSocket('udp4');
  socket.unref();
  const RESOLUTION_MS = 5;
  const lateness = (ns) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  let cpu = process.cpuUsage();
  let at = performance.now();
  const timer = setInterval(() => {
    const nowCpu = process.cpuUsage();
    const now = performance.now();
    const memory = process.memoryUsage();
    const sample = {
      pid: process.pid,
      role: cluster.isPrimary ? 'primary' : 'worker',
      seconds: (now - at) / 1000,
      cpuUs: nowCpu.user - cpu.user + nowCpu.system - cpu.system,
      rssKb: Math.round(memory.rss / 1024),
      heapUsedKb: Math.round(memory.heapUsed / 1024),
      // The monitor's timer fires every 5 ms and records how long each wait really took (ns): the
      // delay is what exceeds those 5 ms (an idle process reads about 0.1).
      eldMs: {
        p50: lateness(delay.percentile(50)),
        p99: lateness(delay.percentile(99)),
        max: lateness(delay.max),
      },
      handles: process._getActiveHandles().length,
    };
    delay.reset();
    cpu = nowCpu;
    at = now;
    socket.send(JSON.stringify(sample), port, '127.0.0.1');
  }, 1000);
  timer.unref();
}
