import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';
import { BTC, openLoadedCockpit } from './cockpit-steps';

// One simulated minute per second, so the user's 1m strategy sees closed bars quickly.
test.use({ cockpitOptions: { args: ['--speed', '60'] } });

/** A user's strategy file: long on every closed bar of a symbol, stop 3% under, take-profit 6% over. */
const EVERY_BAR = `
interface Candle { time: number; close: number }

export default {
  label: 'Every bar',
  timeframe: '1m',
  params: { stopPct: { default: 3, min: 1, max: 5 } },
  warmup: 2,
  forSymbol(symbol: string, p: { stopPct: number }) {
    return {
      onCandle(candle: Candle) {
        const entry = candle.close;
        return { symbol, side: 'long' as const, entry, stop: entry * (1 - p.stopPct / 100), takeProfit: entry * (1 + (2 * p.stopPct) / 100), reason: 'every bar' };
      },
    };
  },
};
`;

test.describe('strategies from files', () => {
  // Two files are transpiled and loaded, the strategy warms up on live bars and its record backtest runs in a worker.
  test.setTimeout(120_000);
  test('a file written into the strategies folder appears in Settings, runs once enabled and proposes with its record; a broken file shows its error and the engine keeps running', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    const folder = path.join(cockpit.dataDir, 'strategies');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'every-bar.ts'), EVERY_BAR);
    fs.writeFileSync(path.join(folder, 'broken.ts'), 'export default { label: "Broken", timeframe: ');

    await page.getByTestId('settings-open').click();
    const broken = page.locator('[data-testid="strategy-file"][data-id="file:broken.ts"]');
    await expect(broken.getByTestId('strategy-file-error')).toContainText('broken.ts did not load: it does not compile', { timeout: 60_000 });
    const mine = page.locator('[data-testid="strategy-file"][data-id="file:every-bar.ts"]');
    await expect(mine).toHaveAttribute('data-loaded', 'true', { timeout: 60_000 });
    await expect(mine).toContainText('Every bar');
    await expect(mine.getByTestId('strategy-param')).toHaveAttribute('data-name', 'stopPct');
    await page.getByTestId('strategies-open-folder').click();
    await expect(page.getByTestId('strategies-folder-path')).toContainText(folder);

    // The boxes show the settings in force: each click is a strategy.set, ticked once the engine has it.
    const onBtc = mine.locator(`[data-testid="strategy-file-symbol"][data-symbol="${BTC}"]`);
    await onBtc.click();
    await expect(onBtc).toBeChecked();
    await mine.getByTestId('strategy-file-enabled').click();
    await expect(mine.getByTestId('strategy-file-enabled')).toBeChecked();
    await page.getByTestId('settings-close').click();

    const proposal = page.locator('[data-testid="proposal"][data-status="pending"]').filter({ hasText: 'file:every-bar.ts' }).first();
    await expect(proposal).toBeVisible({ timeout: 60_000 });
    await expect(proposal).toHaveAttribute('data-symbol', BTC);
    await expect(proposal.getByTestId('proposal-record')).toBeVisible();
    // Its record backtest runs in the background once it is enabled; the proposals after it show its figures.
    const withBacktest = page.getByTestId('proposal-record').filter({ hasText: /Backtest BTC\/USDT:USDT 1m: \d+ trades, win \d+%/ });
    await expect(withBacktest.first()).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('connection-status')).toContainText('connected');
    await page.getByTestId('settings-open').click();
    await expect(broken.getByTestId('strategy-file-error')).toBeVisible();
  });
});
