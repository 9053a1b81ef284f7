import fs from 'node:fs';
import { expect, screenshotPath, test } from './fixtures';
import { BTC, ETH, openLoadedCockpit, openPosition, proposeFromTicket } from './cockpit-steps';

test.describe('the journal and the positions table', () => {
  test('closing a position from its row leaves no position and no orders behind, and counts the trade for Kelly', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    const kelly = page.getByTestId('ticket-kelly');
    await expect(kelly).toHaveText('Kelly: not enough trades yet (0 of 20 closed)');
    const row = await openPosition(page, { symbol: BTC, side: 'long', stopPct: 2, takeProfitPct: 4, leverage: 5 });
    await expect(page.getByTestId('tab-orders')).toHaveText('Orders (2)');

    await row.getByTestId('position-close').click();

    await expect(page.getByTestId('position-row')).toHaveCount(0);
    await expect(page.getByTestId('tab-orders')).toHaveText('Orders (0)');
    await expect(page.getByTestId('account-flat')).toHaveText('FLAT');
    await expect(kelly).toHaveText('Kelly: not enough trades yet (1 of 20 closed)');
  });

  test('the journal tails live, filters, and exports every entry', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    await openPosition(page, { symbol: BTC, side: 'short', stopPct: 2, takeProfitPct: 4, leverage: 5 });
    await page.getByTestId('tab-journal').click();
    const entries = page.getByTestId('journal-entry');
    await expect(entries.first()).toBeVisible();
    expect(await entries.count()).toBeGreaterThan(3);

    const created = page.locator('[data-testid="journal-entry"][data-type="proposal.created"]');
    const createdBefore = await created.count();
    const proposal = await proposeFromTicket(page, { symbol: ETH, side: 'long', stopPct: 2, takeProfitPct: 4, leverage: 5 });
    await expect(page.getByTestId('journal')).toBeVisible();
    await expect(created, 'the new proposal is tailed into the open journal').toHaveCount(createdBefore + 1);
    await expect(created.first(), 'newest first').toContainText((await proposal.getAttribute('data-id'))!);
    const total = await entries.count();

    await page.getByTestId('journal-filter').fill('proposal');
    await expect.poll(() => entries.count()).toBeLessThan(total);
    const shown = await entries.evaluateAll((items) => items.map((i) => i.textContent ?? ''));
    expect(shown.length, 'the filter keeps the proposal entries').toBeGreaterThan(0);
    for (const text of shown) expect(text.toLowerCase()).toContain('proposal');
    await page.screenshot({ path: screenshotPath('journal.png') });

    const download = page.waitForEvent('download');
    await page.getByTestId('journal-export').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.jsonl$/);
    const lines = fs.readFileSync((await file.path())!, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(total);
    expect(lines.map((line) => JSON.parse(line) as { type: string }).some((entry) => entry.type.includes('order'))).toBe(true);
  });
});
