import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Everything /metrics reports, in one registry per server (tests start several in one process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'liveboard_process_' });
  // Deliveries are counted on the fan-out's hot path (once per stream per batch): there they are
  // plain numbers, handed to prom-client only when /metrics is read, so a fan-out to 10,000
  // streams makes no garbage for the metric.
  const deliveries = { sse: 0, poll: 0 };
  new Counter({
    name: 'liveboard_events_delivered_total',
    help: 'Events written to streams and polls (one per event per client)',
    labelNames: ['transport'] as const,
    registers: [registry],
    collect() {
      this.inc({ transport: 'sse' }, deliveries.sse);
      this.inc({ transport: 'poll' }, deliveries.poll);
      deliveries.sse = 0;
      deliveries.poll = 0;
    },
  });
  return {
    registry,
    deliveries,
    openStreams: new Gauge({
      name: 'liveboard_open_streams',
      help: 'SSE streams open now',
      registers: [registry],
    }),
    openMultiBoardStreams: new Gauge({
      name: 'liveboard_open_multi_board_streams',
      help: 'Of the SSE streams open now, those that follow several boards (GET /events)',
      registers: [registry],
    }),
    waitingPolls: new Gauge({
      name: 'liveboard_waiting_polls',
      help: 'Long polls waiting for an event now',
      registers: [registry],
    }),
    eventsWritten: new Counter({
      name: 'liveboard_events_written_total',
      help: 'Events committed to the log by this process',
      registers: [registry],
    }),
    slowClientsDropped: new Counter({
      name: 'liveboard_slow_clients_dropped_total',
      help: 'Streams closed because the client read too slowly (it reconnects and resumes)',
      registers: [registry],
    }),
    streamsTurnedAway: new Counter({
      name: 'liveboard_streams_turned_away_total',
      help: 'Streams asked to come back later because the process was at its stream capacity',
      registers: [registry],
    }),
    resets: new Counter({
      name: 'liveboard_resets_total',
      help: 'Clients told to refetch the snapshot because their position could not be replayed',
      registers: [registry],
    }),
    commitFeedResyncs: new Counter({
      name: 'liveboard_commit_feed_resyncs_total',
      help: 'Times the cross-process commit feed (PostgreSQL LISTEN) was lost, reconnected and caught up',
      registers: [registry],
    }),
    requestDuration: new Histogram({
      name: 'liveboard_http_request_duration_seconds',
      help: 'REST request latency',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
