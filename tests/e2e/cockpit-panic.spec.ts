import { expect, screenshotPath, test } from './fixtures';
import { BTC, engineSnapshot, ETH, openLoadedCockpit, openPosition } from './cockpit-steps';

test.describe('the panic button', () => {
  test('one click empties the positions table, the account reports flat, the result lists each symbol closed, and the strategies wait until resumed', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    await openPosition(page, { symbol: BTC, side: 'long', stopPct: 2, takeProfitPct: 4, leverage: 5 });
    await openPosition(page, { symbol: ETH, side: 'short', stopPct: 2, takeProfitPct: 4, leverage: 5 });
    await expect(page.getByTestId('position-row')).toHaveCount(2);
    await expect(page.getByTestId('account-flat')).toHaveText('EXPOSED');
    await page.screenshot({ path: screenshotPath('before-panic.png') });

    await page.getByTestId('panic-button').click();

    const result = page.getByTestId('flatten-result');
    await expect(result).toHaveAttribute('data-finished', 'true');
    await expect(result).toHaveAttribute('data-flat', 'true');
    for (const symbol of [BTC, ETH]) {
      await expect(result.locator(`[data-testid="flatten-symbol"][data-symbol="${symbol}"]`)).toHaveAttribute('data-status', 'flat');
    }
    await expect(page.getByTestId('position-row')).toHaveCount(0);
    await expect(page.getByTestId('account-flat')).toHaveText('FLAT');

    const engine = await cockpit.connect();
    const snapshot = await engineSnapshot(engine);
    expect(snapshot.positions.filter((p) => p.contracts > 0)).toEqual([]);
    expect(snapshot.orders.filter((o) => o.status === 'open' || o.status === 'partially_filled')).toEqual([]);
    await page.screenshot({ path: screenshotPath('flattened.png') });

    await expect(page.getByTestId('strategies-halted')).toBeVisible();
    await page.getByTestId('strategies-resume').click();
    await expect(page.getByTestId('strategies-halted')).toHaveCount(0);
    const resumed = await engineSnapshot(engine);
    expect(resumed.strategies.filter((s) => s.enabled).every((s) => s.running && s.haltedReason === null)).toBe(true);
    engine.close();
  });

  test('stays in view and answers one click while Settings is open, even in a window narrower than the layout', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    await openPosition(page, { symbol: BTC, side: 'long', stopPct: 2, takeProfitPct: 4, leverage: 5 });
    await page.getByTestId('settings-open').click();
    await expect(page.getByTestId('settings')).toBeVisible();
    const panic = page.getByTestId('panic-button');
    await expect(panic).toBeInViewport({ ratio: 1 });

    await panic.click();

    const result = page.getByTestId('flatten-result');
    await expect(result).toHaveAttribute('data-finished', 'true');
    await expect(result).toHaveAttribute('data-flat', 'true');
    await expect(result.locator(`[data-testid="flatten-symbol"][data-symbol="${BTC}"]`)).toHaveAttribute('data-status', 'flat');
    await expect(result).toBeInViewport();
    await expect(page.getByTestId('settings'), 'the drawer stays open: the panic does not cost the user their edits').toBeVisible();

    await page.setViewportSize({ width: 1024, height: 640 });
    await expect(panic).toBeInViewport({ ratio: 1 });
    await page.getByTestId('settings-close').click();
    await page.getByTestId('tab-journal').scrollIntoViewIfNeeded();
    await expect(panic, 'the header never scrolls away with the panels').toBeInViewport({ ratio: 1 });
  });

  test('the quick in-window shortcut (Ctrl+Shift+X) flattens too, with no dialog', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    await openPosition(page, { symbol: BTC, side: 'short', stopPct: 2, takeProfitPct: 4, leverage: 5 });
    page.on('dialog', (dialog) => {
      throw new Error(`the flatten must not ask: ${dialog.message()}`);
    });

    await page.getByTestId('ticket-stop').focus();
    await page.keyboard.press('Control+Shift+X');

    await expect(page.getByTestId('flatten-result')).toHaveAttribute('data-flat', 'true');
    await expect(page.locator(`[data-testid="flatten-symbol"][data-symbol="${BTC}"]`)).toHaveAttribute('data-status', 'flat');
    await expect(page.getByTestId('position-row')).toHaveCount(0);
  });
});
