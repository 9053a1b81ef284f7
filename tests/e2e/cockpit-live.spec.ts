import { startVenue, type Venue } from '../../electron/venue/server';
import { BTC, openPosition } from './cockpit-steps';
import { expect, openCockpit, screenshotPath, startCockpit, test, type Cockpit } from './fixtures';

/**
 * The live path, end to end: the headless cockpit trades through ccxt's unmodified
 * binanceusdm against the Binance-compatible venue on loopback, as a user would with
 * `npm run headless -- --exchange binanceusdm --exchange-url …`.
 */
test.describe('trading live through ccxt, against the Binance-compatible venue', () => {
  let venue: Venue;
  let cockpit: Cockpit;
  let dispose: () => Promise<void>;

  test.beforeEach(async () => {
    venue = await startVenue({ speed: 1, seed: 11 });
    ({ cockpit, dispose } = await startCockpit({
      args: ['--exchange', 'binanceusdm', '--exchange-url', venue.url],
      env: { COCKPIT_API_KEY: venue.apiKey, COCKPIT_API_SECRET: venue.apiSecret },
    }));
  });

  test.afterEach(async () => {
    await dispose?.();
    await venue?.close();
  });

  test('the header says LIVE on binanceusdm; a ticket trade puts its stop on the exchange; the panic button leaves the exchange flat', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await openCockpit(page, cockpit);
    await expect(page.getByTestId('mode-badge')).toContainText('LIVE');
    await expect(page.getByTestId('mode-badge')).toContainText('binanceusdm');
    await expect(page.getByTestId('mark-price')).toHaveAttribute('data-price', /^\d/);

    await openPosition(page, { symbol: BTC, side: 'long', stopPct: 2, takeProfitPct: 4, leverage: 5 });
    const onExchange = venue.exchange.positions().find((p) => p.symbol === BTC)!;
    expect(onExchange.positionAmt).toBeGreaterThan(0);
    const protection = venue.exchange.openOrders(BTC, 'conditional');
    expect(protection.map((o) => [o.type, o.reduceOnly, o.workingType]).sort()).toEqual([
      ['STOP_MARKET', true, 'mark'],
      ['TAKE_PROFIT_MARKET', true, 'mark'],
    ]);
    expect(protection.every((o) => o.origQty === onExchange.positionAmt)).toBe(true);
    for (const id of ['position-exposure', 'total-exposure']) {
      await expect(page.locator(`[data-testid="breaker"][data-id="${id}"]`)).toHaveAttribute('data-state', 'armed');
    }
    await page.screenshot({ path: screenshotPath('live-venue.png') });

    await page.getByTestId('panic-button').click();
    await expect(page.getByTestId('flatten-result')).toHaveAttribute('data-flat', 'true');
    expect(venue.exchange.positions().filter((p) => p.positionAmt !== 0)).toEqual([]);
    expect(venue.exchange.openOrders(undefined, 'all')).toEqual([]);
    await expect(page.getByTestId('position-row')).toHaveCount(0);
  });

  test('a position opened outside the cockpit, with no stop, shows the red NO STOP warning in its row', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await openCockpit(page, cockpit);
    await expect(page.getByTestId('mode-badge')).toContainText('LIVE');

    venue.exchange.placeOrder({ symbol: BTC, side: 'BUY', type: 'MARKET', quantity: 0.01, clientOrderId: 'web_manual_1' });

    const row = page.locator(`[data-testid="position-row"][data-symbol="${BTC}"]`);
    await expect(row).toHaveAttribute('data-side', 'long');
    await expect(row).toHaveAttribute('data-contracts', '0.01');
    const warning = row.getByTestId('position-no-stop');
    await expect(warning).toBeVisible();
    await expect(warning).toHaveText('NO STOP');
    await expect(warning, 'in red').toHaveCSS('background-color', 'rgb(255, 59, 59)');
    await expect(row.getByTestId('position-stop')).toHaveCount(0);
  });
});
