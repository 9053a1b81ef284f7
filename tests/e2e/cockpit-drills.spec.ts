import { expect, screenshotPath, test } from './fixtures';
import { BTC, openLoadedCockpit, openPosition } from './cockpit-steps';

// A 90-second flash crash plays in about 22 s at 4x.
test.use({ cockpitOptions: { args: ['--speed', '4'] } });

test.describe('crash drills in paper mode', () => {
  test('the flash-crash drill: the liquidation-distance breaker closes a 10x long before liquidation, and the report shows the trip with its delay', async ({ page, cockpit }) => {
    test.setTimeout(120_000);
    await openLoadedCockpit(page, cockpit);
    // The trader allows 10x and wants out at 7% from liquidation: the breaker then acts before the stop (4.7% away).
    await page.getByTestId('settings-open').click();
    await page.getByTestId('setting-risk.maxLeverage').fill('10');
    await page.getByTestId('setting-breakers.liquidationDistancePct').fill('7');
    await page.getByTestId('settings-save').click();
    await expect(page.getByTestId('settings-message')).toHaveText('Settings saved.');
    await page.getByTestId('settings-close').click();

    const row = await openPosition(page, { symbol: BTC, side: 'long', stopPct: 4.7, takeProfitPct: 9.4, leverage: 10 });
    const liquidation = Number(await row.getAttribute('data-liquidation-price'));
    expect(liquidation, 'the position row carries its liquidation price').toBeGreaterThan(0);

    await page.getByTestId('drill-menu').click();
    await page.getByTestId('drill-start-builtin:flash-crash').click();
    await expect(page.getByTestId('drill-banner')).toContainText('DRILL RUNNING: Flash crash');

    await expect(page.locator(`[data-testid="position-row"][data-symbol="${BTC}"]`)).toHaveCount(0, { timeout: 60_000 });
    const report = page.getByTestId('drill-report');
    await expect(report).toBeVisible({ timeout: 60_000 });
    await expect(report).toHaveAttribute('data-liquidations', '0');
    await expect(report).toHaveAttribute('data-avoided', '1');
    const trip = report.locator('[data-testid="drill-event"][data-kind="breaker-trip"]').filter({ hasText: 'liquidation-distance' });
    await expect(trip).toHaveCount(1);
    await expect(trip.getByTestId('drill-event-delay')).toContainText(/reacted \d+ ms after the mark/);
    await expect(report.locator('[data-testid="drill-event"][data-kind="liquidation"]')).toHaveCount(0);
    await expect(report.locator('[data-testid="drill-event"][data-kind="order-filled"]').first()).toBeVisible();
    await expect(page.getByTestId('drill-banner')).toContainText('DRILL OVER');
    await page.screenshot({ path: screenshotPath('drill-report.png') });

    const engine = await cockpit.connect();
    const journal = await engine.call('journal.tail', { limit: 5000 });
    expect(journal.ok && journal.value.filter((e) => e.type === 'liquidation')).toEqual([]);
    const fills = journal.ok ? journal.value.filter((e) => e.type === 'fill').map((e) => e.data as { side: string; price: number }) : [];
    expect(fills.at(-1)!.side).toBe('sell');
    expect(fills.at(-1)!.price, 'closed above the liquidation price').toBeGreaterThan(liquidation);
    engine.close();

    await page.getByTestId('drill-stop').click();
    await expect(page.getByTestId('drill-banner')).toHaveCount(0);
  });
});
