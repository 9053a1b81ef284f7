import { expect, screenshotPath, test } from './fixtures';
import { BTC, engineSnapshot, legendPrices, numberAttribute, openLoadedCockpit, openPosition, protectivePrices, showSymbol } from './cockpit-steps';

test.describe('a trader watches the market and makes one trade', () => {
  test('the chart shows candles that keep updating', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    await showSymbol(page, BTC);
    const chart = page.getByTestId('chart');
    await expect(chart).toHaveAttribute('data-history', 'ready');

    await expect.poll(() => numberAttribute(chart, 'data-live-updates').catch(() => 0)).toBeGreaterThan(0);
    const seen = await numberAttribute(chart, 'data-live-updates');
    const firstPicture = await chart.screenshot();
    await expect.poll(() => numberAttribute(chart, 'data-live-updates')).toBeGreaterThan(seen + 3);
    await expect.poll(async () => (await chart.screenshot()).equals(firstPicture), { message: 'the drawn chart changes as bars update' }).toBe(false);

    await page.getByTestId('chart-timeframe-5m').click();
    await expect(chart).toHaveAttribute('data-history', 'ready');
    const fiveMinuteUpdates = await numberAttribute(chart, 'data-live-updates').catch(() => 0);
    await expect.poll(() => numberAttribute(chart, 'data-live-updates').catch(() => 0), { message: 'a 5m chart keeps updating too' }).toBeGreaterThan(fiveMinuteUpdates + 3);
    const barTime = await numberAttribute(chart, 'data-last-bar-time');
    expect(barTime % 300_000).toBe(0);
  });

  test('a ticket proposal, once approved, opens a position whose lines sit at the engine’s prices', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    const row = await openPosition(page, { symbol: BTC, side: 'long', stopPct: 2, takeProfitPct: 4, leverage: 5 });
    const engine = await cockpit.connect();

    await expect(page.getByTestId('line-entry')).toHaveCount(1);
    await expect(page.getByTestId('line-stop')).toHaveCount(1);
    await expect(page.getByTestId('line-take-profit')).toHaveCount(1);
    await expect(page.getByTestId('line-liquidation')).toHaveCount(1);

    await expect.poll(async () => protectivePrices((await engineSnapshot(engine)).orders, BTC, 'stop').length, { message: 'the engine placed the stop with the entry' }).toBe(1);
    const snapshot = await engineSnapshot(engine);
    const position = snapshot.positions.find((p) => p.symbol === BTC)!;
    await expect.poll(() => legendPrices(page, 'line-entry')).toEqual([position.entryPrice]);
    await expect.poll(() => legendPrices(page, 'line-stop')).toEqual(protectivePrices(snapshot.orders, BTC, 'stop'));
    await expect.poll(() => legendPrices(page, 'line-take-profit')).toEqual(protectivePrices(snapshot.orders, BTC, 'take-profit'));
    await expect.poll(() => legendPrices(page, 'line-liquidation')).toEqual([position.liquidationPrice]);
    await expect(row).toHaveAttribute('data-liquidation-price', String(position.liquidationPrice));
    await expect(row).toHaveAttribute('data-contracts', String(position.contracts));
    expect(position.liquidationPrice!).toBeLessThan(protectivePrices(snapshot.orders, BTC, 'stop')[0]!);
    await expect(row.getByTestId('position-no-stop')).toHaveCount(0);
    const exposure = page.locator('[data-testid="breaker"][data-id="total-exposure"]');
    await expect
      .poll(async () => Number(await exposure.getAttribute('data-value')), { message: 'the exposure breaker counts the new position’s margin' })
      .toBeGreaterThan(5);

    await page.screenshot({ path: screenshotPath('cockpit.png') });
    engine.close();
  });

  test('dragging the stop line moves the stop order, and the engine reports the new price', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    await openPosition(page, { symbol: BTC, side: 'long', stopPct: 1.5, takeProfitPct: 3, leverage: 5 });
    const engine = await cockpit.connect();
    const handle = page.getByTestId('drag-handle-stop');
    await expect(handle).toBeVisible();
    const before = await numberAttribute(page.getByTestId('line-stop'), 'data-price');
    const mark = await numberAttribute(page.getByTestId('mark-price'), 'data-price');

    const box = (await handle.boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let step = 1; step <= 5; step++) await page.mouse.move(x, y - step * 6);
    const dragged = await numberAttribute(handle, 'data-price');
    expect(dragged).toBeGreaterThan(before);
    expect(dragged).toBeLessThan(mark);
    await page.mouse.up();

    await expect(page.getByTestId('drag-message')).toContainText('Stop moved to');
    await expect.poll(async () => protectivePrices((await engineSnapshot(engine)).orders, BTC, 'stop')).toEqual([dragged]);
    await expect(page.getByTestId('line-stop')).toHaveAttribute('data-price', String(dragged));
    await expect(page.locator(`[data-testid="position-row"][data-symbol="${BTC}"]`).getByTestId('position-stop')).toBeVisible();
    await page.screenshot({ path: screenshotPath('stop-dragged.png') });
    engine.close();
  });

  test('a stop dragged beyond the mark is refused by the engine and snaps back with the reason', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    await openPosition(page, { symbol: BTC, side: 'long', stopPct: 1.5, takeProfitPct: 3, leverage: 5 });
    const engine = await cockpit.connect();
    const handle = page.getByTestId('drag-handle-stop');
    const before = await numberAttribute(page.getByTestId('line-stop'), 'data-price');
    const markHandleY = async () => {
      const box = (await handle.boundingBox())!;
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    };
    const { x, y } = await markHandleY();
    await page.mouse.move(x, y);
    await page.mouse.down();
    let dragged = before;
    for (let step = 1; step <= 40; step++) {
      await page.mouse.move(x, y - step * 8);
      dragged = await numberAttribute(handle, 'data-price');
      if (dragged > (await numberAttribute(page.getByTestId('mark-price'), 'data-price')) * 1.004) break;
    }
    await page.mouse.up();

    await expect(page.getByTestId('drag-message')).toContainText('Stop not moved');
    await expect(page.getByTestId('line-stop')).toHaveAttribute('data-price', String(before));
    await expect(handle).toHaveAttribute('data-price', String(before));
    expect(protectivePrices((await engineSnapshot(engine)).orders, BTC, 'stop')).toEqual([before]);
    engine.close();
  });
});
