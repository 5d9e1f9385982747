import type { Locator, Page } from 'playwright-core';

/** What a page shows: each list's title and its tasks' titles, in order, read from the DOM. */
export async function shownBoard(page: Page): Promise<{ title: string; tasks: string[] }[]> {
  return page.$$eval('[data-testid="list"]', (lists) =>
    lists.map((list) => ({
      title: list.querySelector('[data-testid="list-title"]')?.textContent?.trim() ?? '',
      tasks: [...list.querySelectorAll('[data-testid="task-title"]')].map(
        (task) => task.textContent?.trim() ?? '',
      ),
    })),
  );
}

export function list(page: Page, title: string): Locator {
  return page.locator('[data-testid="list"]', {
    has: page.locator(`[data-testid="list-title"]:text-is("${title}")`),
  });
}

export function task(page: Page, title: string): Locator {
  return page.locator('[data-testid="task"]', {
    has: page.locator(`[data-testid="task-title"]:text-is("${title}")`),
  });
}

/** A real mouse drag: press on the card, move in steps (past the 6 px activation distance), release. */
export async function dragTo(page: Page, source: Locator, target: Locator): Promise<void> {
  const from = (await source.boundingBox())!;
  const to = (await target.boundingBox())!;
  await page.mouse.move(from.x + from.width / 3, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 3 + 10, from.y + from.height / 2, { steps: 3 });
  await page.mouse.move(to.x + to.width / 2, to.y + Math.min(to.height / 2, 30), { steps: 15 });
  await page.waitForTimeout(100);
  await page.mouse.up();
  await afterPointerDrop(page);
}

/**
 * dnd-kit swallows every click for 50 ms after a pointer drag ends (a document listener it removes
 * on a timer), and on a loaded machine the page's timers run late while input is delivered at once:
 * a click right after the drop was lost. A timer set now in the page, due after that one, fires
 * after it has.
 */
export async function afterPointerDrop(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 60)));
}

/** The keyboard path: focus the grip, Space to lift, arrows to move, Space to drop. */
export async function keyboardMove(page: Page, handle: Locator, keys: string[]): Promise<void> {
  await handle.focus();
  await page.keyboard.press('Space');
  await page.waitForTimeout(150);
  for (const key of keys) {
    await page.keyboard.press(key);
    await page.waitForTimeout(150);
  }
  await page.keyboard.press('Space');
}

type Recorder = { taskCardsSeen?: string[][] };

/**
 * From now on, the page keeps every state of its task cards (their ids, in page order) that the
 * DOM goes through, so a test can tell whether a card was ever doubled or dropped on the way.
 */
export async function recordTaskCards(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[][] = [];
    let last: string | undefined;
    const record = (): void => {
      const ids = [...document.querySelectorAll('[data-testid="task"]')].map(
        (card) => card.getAttribute('data-task-id') ?? '',
      );
      if (ids.join() === last) return;
      last = ids.join();
      seen.push(ids);
    };
    record();
    new MutationObserver(record).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['data-task-id'],
    });
    (globalThis as Recorder).taskCardsSeen = seen;
  });
}

export async function recordedTaskCards(page: Page): Promise<string[][]> {
  return page.evaluate(() => (globalThis as Recorder).taskCardsSeen ?? []);
}
