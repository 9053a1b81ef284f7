import { expect, test } from './fixtures';
import { BTC, engineSnapshot, numberAttribute, openLoadedCockpit, openPosition } from './cockpit-steps';
import type { SessionSnapshot } from '../../shared/contract';

/** The engine's open stop order on BTC (what the exchange holds), with its size. */
const stopOf = (snapshot: SessionSnapshot) => snapshot.orders.filter((o) => o.symbol === BTC && o.purpose === 'stop' && o.status === 'open');
const positionOf = (snapshot: SessionSnapshot) => snapshot.positions.find((p) => p.symbol === BTC && p.contracts > 0);

test.describe('a trader trims and tops up a position', () => {
  test('reducing a position by 50% halves it on the exchange, and its stop with it', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    const row = await openPosition(page, { symbol: BTC, side: 'long', stopPct: 2, takeProfitPct: 4, leverage: 5 });
    const engine = await cockpit.connect();
    await expect.poll(async () => stopOf(await engineSnapshot(engine)).length, { message: 'the stop is on the exchange' }).toBe(1);
    const before = positionOf(await engineSnapshot(engine))!.contracts;
    const step = 0.001;
    const half = Math.floor(before / 2 / step + 1e-9) * step;
    const left = Number((before - half).toFixed(3));

    await row.getByTestId('position-reduce').click();
    await expect(page.getByTestId('position-reduce-menu').getByRole('menuitem')).toHaveText(['−25%', '−50%', '−75%']);
    await row.getByTestId('position-reduce-50').click();

    await expect.poll(async () => positionOf(await engineSnapshot(engine))?.contracts, { message: 'the exchange’s position halves' }).toBeCloseTo(left, 9);
    await expect.poll(async () => stopOf(await engineSnapshot(engine)).map((o) => o.amount), { message: 'and its stop with it' }).toEqual([left]);
    await expect(row).toHaveAttribute('data-contracts', String(left));

    await page.getByTestId('tab-margin').click();
    const history = page.getByTestId('margin-history');
    await expect(history).toBeVisible();
    await expect.poll(() => numberAttribute(history.getByTestId('margin-worst-distance'), 'data-value').catch(() => null), { message: 'the margin history has sampled the position' }).toBeGreaterThan(0);
    await expect(history.getByTestId('margin-calls')).toHaveAttribute('data-cuts', '0');
    await page.getByTestId('margin-window-7d').click();
    await expect(history).toHaveAttribute('data-window', '7d');
    engine.close();
  });

  test('adding margin moves the liquidation price away, to where the preview said', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    const row = await openPosition(page, { symbol: BTC, side: 'long', stopPct: 2, takeProfitPct: 4, leverage: 5 });
    const engine = await cockpit.connect();
    const before = positionOf(await engineSnapshot(engine))!;

    await row.getByTestId('position-margin').click();
    await page.getByTestId('margin-direction-add').check();
    await page.getByTestId('margin-amount').fill('100');
    const preview = page.getByTestId('margin-preview');
    await expect(preview).toBeVisible();
    const previewed = await numberAttribute(preview, 'data-liquidation-price');
    expect(previewed).toBeLessThan(before.liquidationPrice!);
    await page.getByTestId('margin-confirm').click();

    await expect(page.getByTestId('margin-result')).toContainText('Added 100.00 USDT');
    const after = positionOf(await engineSnapshot(engine))!;
    expect(after.isolatedWallet).toBeCloseTo(before.isolatedWallet + 100, 6);
    expect(after.liquidationPrice!).toBeCloseTo(previewed, 6);
    await expect(row).toHaveAttribute('data-liquidation-price', String(after.liquidationPrice));
    engine.close();
  });

  test('an off-screen liquidation line has its marker at the chart’s edge; clicking it brings the line into view', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    // a 1% stop at 5x would put exactly 20% of equity up as margin, the cap, and rounding decides: 1.5% keeps it at 13%
    await openPosition(page, { symbol: BTC, side: 'long', stopPct: 1.5, takeProfitPct: 3, leverage: 5 });
    const liquidation = await numberAttribute(page.getByTestId('line-liquidation'), 'data-price');

    const marker = page.getByTestId('edge-marker-liquidation');
    await expect(marker).toBeVisible();
    await expect(marker).toHaveAttribute('data-edge', 'below');
    await expect(marker).toHaveAttribute('data-price', String(liquidation));
    await expect(marker).toContainText('▼ LIQ');
    await expect(marker).toContainText(/\(−\d+\.\d\d%\)/);

    await marker.click();
    await expect(marker).toHaveCount(0);
    await expect(page.getByTestId('edge-marker-stop')).toHaveCount(0);
  });
});
