import { useEffect, useRef } from 'react';
import type { Board } from '../../domain/index.js';

/** How often reminders are looked for: a reminder shows at most this late. */
const CHECK_EVERY_MS = 15_000;

/**
 * While the board is open, each card's reminder (minutes before its due date) shows once as an
 * in-app notice at its time, and as a system notification too when the user has allowed them. Only
 * reminders that fall due while the page is open: a reminder missed while away is not sprung on
 * whoever opens the board later. Done and archived cards remind no one.
 */
export function useReminders(board: Board | undefined, remind: (text: string) => void): void {
  const boardRef = useRef(board);
  boardRef.current = board;
  const remindRef = useRef(remind);
  remindRef.current = remind;
  useEffect(() => {
    let checkedUntil = Date.now();
    // A card's reminder is said once per due date and reminder: changed, it may be said again.
    const said = new Set<string>();
    const check = (): void => {
      const now = Date.now();
      for (const list of boardRef.current?.lists ?? []) {
        for (const task of list.tasks) {
          if (task.dueAt === null || task.reminder === null || task.dueComplete || task.archivedAt !== null)
            continue;
          const at = Date.parse(task.dueAt) - task.reminder * 60_000;
          const key = `${task.id}|${task.dueAt}|${task.reminder}`;
          if (at <= checkedUntil || at > now || said.has(key)) continue;
          said.add(key);
          const text = `Reminder: “${task.title}” is due ${new Date(task.dueAt).toLocaleString()}.`;
          remindRef.current(text);
          if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
            new Notification('Liveboard', { body: text, tag: key });
          }
        }
      }
      checkedUntil = now;
    };
    const timer = setInterval(check, CHECK_EVERY_MS);
    return () => clearInterval(timer);
  }, []);
}
