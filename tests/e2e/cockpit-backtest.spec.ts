import { expect, test } from './fixtures';
import { numberAttribute, openLoadedCockpit, showSymbol } from './cockpit-steps';

// Every request to the simulated venue takes 150 ms: fetching history is slow enough to watch, and to cancel midway.
test.use({ cockpitOptions: { args: ['--faults', 'latency=150'] } });

test.describe('the Backtest view', () => {
  test.setTimeout(120_000);
  test('runs trend-pullback over the history on offer with a rising progress bar, lists as many trades as it counts and marks them on the chart; a second run cancels midway', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    await page.getByTestId('backtest-tab').click();
    await page.getByTestId('backtest-strategy').selectOption('trend-pullback');
    for (const box of await page.getByTestId('backtest-symbol').all()) await box.check();

    const percents = await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { percents: number[] }).percents = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid="backtest-progress"]');
        const value = Number(bar?.getAttribute('data-percent'));
        if (bar && seen.at(-1) !== value) seen.push(value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-percent'] });
      return seen;
    });
    expect(percents).toEqual([]);
    await page.getByTestId('backtest-run').click();
    const summary = page.getByTestId('backtest-summary');
    await expect(summary).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('backtest-status')).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });
    const seen = await page.evaluate(() => (window as unknown as { percents: number[] }).percents);
    expect(seen.at(-1)).toBe(100);
    expect(seen.filter((p) => p > 0 && p < 100).length, `progress seen: ${seen.join(', ')}`).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    const trades = await numberAttribute(summary, 'data-trades');
    expect(trades, 'trend-pullback trades on the history on offer').toBeGreaterThan(0);
    await expect(page.getByTestId('backtest-trade-row')).toHaveCount(trades);
    expect(Number.isFinite(await numberAttribute(summary, 'data-return-pct'))).toBe(true);
    expect(await numberAttribute(summary, 'data-max-drawdown-pct')).toBeGreaterThanOrEqual(0);
    expect(await numberAttribute(page.getByTestId('backtest-equity'), 'data-points')).toBeGreaterThan(1);

    const symbol = (await page.getByTestId('backtest-trade-row').first().locator('td').nth(1).textContent())!;
    const onSymbol = await page.getByTestId('backtest-trade-row').filter({ has: page.locator('td', { hasText: symbol }) }).count();
    await showSymbol(page, symbol);
    await expect(page.getByTestId('chart')).toHaveAttribute('data-backtest-markers', String(2 * onSymbol));

    await page.getByTestId('backtest-timeframe').selectOption('5m');
    await page.getByTestId('backtest-run').click();
    await expect(page.getByTestId('backtest-status')).toHaveAttribute('data-phase', 'fetching');
    await expect.poll(() => numberAttribute(page.getByTestId('backtest-progress'), 'data-percent')).toBeGreaterThan(0);
    await page.getByTestId('backtest-cancel').click();
    // It stops at its next page or progress step; a worker still starting on a loaded machine gets there late.
    await expect(page.getByTestId('backtest-status')).toHaveAttribute('data-phase', 'cancelled', { timeout: 60_000 });
    expect(await numberAttribute(page.getByTestId('backtest-progress'), 'data-percent')).toBeLessThan(100);
    await expect(page.getByTestId('backtest-run')).toBeEnabled();
    await expect(page.getByTestId('connection-status')).toContainText('connected');
  });
});
