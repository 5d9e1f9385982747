import type { ConnectionStatus } from '../sdk.js';
import type { OutboxSnapshot } from './outbox.js';

const LABELS: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/** Live / reconnecting / offline, and how many of the user's changes are still on their way. */
export function ConnectionIndicator({
  status,
  pending,
  stopped = false,
}: {
  status: ConnectionStatus;
  pending: OutboxSnapshot;
  /** The board stopped following the server for good (access lost, signed out). */
  stopped?: boolean;
}) {
  if (stopped) {
    return (
      <div className="connection" data-testid="connection" data-status="stopped" role="status">
        <span className="connection-dot" aria-hidden="true" />
        <span className="connection-label">Not live</span>
      </div>
    );
  }
  const unsent = pending.entries.filter((entry) => entry.state !== 'sent').length;
  const shown: ConnectionStatus = pending.waiting && status === 'live' ? 'reconnecting' : status;
  const detail =
    unsent === 0
      ? ''
      : pending.waiting
        ? ` · ${unsent} unsaved, will send when back`
        : ` · saving ${unsent}…`;
  return (
    <div className="connection" data-testid="connection" data-status={shown} role="status" aria-live="polite">
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-label">{LABELS[shown]}</span>
      <span className="connection-detail" data-testid="pending-count" data-count={unsent}>
        {detail}
      </span>
    </div>
  );
}
