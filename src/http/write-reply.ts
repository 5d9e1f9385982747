import type { FastifyReply, FastifyRequest } from 'fastify';
import { authorOf } from '../accounts/principal.js';
import { LiveboardError } from '../domain/index.js';
import type { BoardCommand } from '../domain/index.js';
import type { WriteChange, WriteOptions, WriteOutcome } from '../store/store.js';
import type { AppDependencies } from './dependencies.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Who writes, the Idempotency-Key of the write, and what it is a key for (so a reuse for another
 * request is refused). Keys are the caller's own: another user's identical key and body is their
 * own new write, never a replay of someone else's answer.
 */
export function writeOptionsOf(request: FastifyRequest): WriteOptions {
  const by = authorOf(request.principal);
  const key = request.headers['idempotency-key'];
  if (key === undefined) return { by };
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
    by,
    idempotencyKey: `${by?.userId ?? 'anonymous'}/${key}`,
    requestFingerprint: `${request.method} ${path} ${canonicalJson(request.body)}`,
  };
}

const STATUS_OF_CHANGE: Record<WriteChange, number> = { created: 201, changed: 200, deleted: 204 };

/** Answers a write as HTTP: the status its change calls for, Board-Seq, and the entity (none for a deletion). */
export function replyWithWrite(reply: FastifyReply, outcome: WriteOutcome): FastifyReply {
  void reply.code(STATUS_OF_CHANGE[outcome.change]).header('Board-Seq', String(outcome.seq));
  if (outcome.replayed) void reply.header('Idempotent-Replayed', 'true');
  if (outcome.entityJson === null) return reply.send();
  return reply.type('application/json').send(outcome.entityJson);
}

function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** The whole of a board write's route: the command through the write path with the request's Idempotency-Key, answered. */
export async function executeAndReply(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: AppDependencies,
  boardId: string,
  command: BoardCommand,
): Promise<FastifyReply> {
  const outcome = await deps.writer.execute(boardId, command, writeOptionsOf(request));
  return replyWithWrite(reply, outcome);
}
