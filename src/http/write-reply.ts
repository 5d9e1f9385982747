import type { FastifyReply, FastifyRequest } from 'fastify';
import { LiveboardError } from '../domain/index.js';
import type { BoardCommand } from '../domain/index.js';
import type { WriteOptions, WriteOutcome } from '../store/store.js';
import type { AppDependencies } from './app.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The Idempotency-Key of a write, and what it is a key for (so a reuse for another request is refused). */
export function writeOptionsOf(request: FastifyRequest): WriteOptions {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return {};
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
    throw new LiveboardError(
      'validation_failed',
      'Idempotency-Key: must be 1 to 255 visible ASCII characters',
      {
        field: 'Idempotency-Key',
      },
    );
  }
  const path = request.url.split('?')[0];
  return {
    idempotencyKey: key,
    requestFingerprint: `${request.method} ${path} ${canonicalJson(request.body)}`,
  };
}

/**
 * Answers a committed write: broadcasts its event (only now, after COMMIT, so nobody sees a change
 * that could still roll back), then replies with the entity and its Board-Seq.
 */
export function replyWithWrite(
  reply: FastifyReply,
  deps: AppDependencies,
  outcome: WriteOutcome,
): FastifyReply {
  if (deps.config.fault === 'crash-after-commit' && !outcome.replayed) {
    // Test-only: die between commit and answer, the window Idempotency-Key exists for.
    process.kill(process.pid, 'SIGKILL');
  }
  if (outcome.event) {
    deps.metrics.eventsWritten.inc();
    deps.broadcaster.publish([outcome.event]);
  }
  void reply.code(outcome.status).header('Board-Seq', String(outcome.seq));
  if (outcome.replayed) void reply.header('Idempotent-Replayed', 'true');
  if (outcome.bodyJson === null) return reply.send();
  return reply.type('application/json').send(outcome.bodyJson);
}

function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** The whole of a board write's route: run the command with the request's Idempotency-Key, answer. */
export async function executeAndReply(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: AppDependencies,
  boardId: string,
  command: BoardCommand,
): Promise<FastifyReply> {
  const outcome = await deps.store.execute(boardId, command, writeOptionsOf(request));
  return replyWithWrite(reply, deps, outcome);
}
