/**
 * axe-core in a real page: the serious and critical violations it finds, which a test expects to
 * be none. axe's own script (from the axe-core package) is put into the page as it is.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string;
  targets: string[];
}

export async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const result: Violation[] = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: Document,
          ): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    return (await axe.run(document)).violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
  });
  const severe = result.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  expect(severe, `${what}: ${JSON.stringify(severe, null, 1)}`).toEqual([]);
}
