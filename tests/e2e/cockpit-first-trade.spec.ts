import { expect, test } from './fixtures';
import { BTC, numberAttribute, openLoadedCockpit, showSymbol } from './cockpit-steps';

test.describe('a new user’s first trade', () => {
  test('a ticket with a 2% stop, a 4% take-profit and no leverage shows the leverage it will use, passes, and is filled at it', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    const plan = page.getByTestId('ticket-leverage-plan');
    await expect(plan).toHaveAttribute('data-state', 'incomplete');

    const mark = await showSymbol(page, BTC);
    await page.getByTestId('ticket-symbol').selectOption(BTC);
    await page.getByTestId('ticket-side').selectOption('long');
    await page.getByTestId('ticket-stop').fill(String(Number((mark * 0.98).toPrecision(6))));
    await page.getByTestId('ticket-take-profit').fill(String(Number((mark * 1.04).toPrecision(6))));
    await expect(page.getByTestId('ticket-leverage')).toHaveValue('');
    await expect(plan, 'the ticket shows the leverage it will use before Propose').toHaveAttribute('data-state', 'ok');
    const shown = await numberAttribute(plan, 'data-leverage');
    expect(shown, 'the lowest whole leverage keeping the margin under 20% of equity').toBe(3);
    await expect(plan).toContainText('Leverage 3x (the lowest that passes)');

    await page.getByTestId('ticket-propose').click();
    await expect(page.getByTestId('ticket-message')).toContainText(`at ${shown}x`);
    const id = await page
      .locator(`[data-testid="proposal"][data-symbol="${BTC}"][data-status="pending"]`)
      .filter({ hasText: 'Manual long ticket' })
      .getAttribute('data-id');
    const proposal = page.locator(`[data-testid="proposal"][data-id="${id}"]`);
    await expect(proposal.getByTestId('proposal-verdict')).toHaveAttribute('data-ok', 'true');
    await expect(proposal).toContainText('3x, the lowest leverage that passes');

    await proposal.getByTestId('proposal-approve').click();
    await expect(proposal).toHaveAttribute('data-status', 'executed');
    const row = page.locator(`[data-testid="position-row"][data-symbol="${BTC}"]`);
    await expect(row).toHaveAttribute('data-leverage', String(shown));
  });
});

/** The next 08:00 UTC funding settlement after tomorrow's midnight. */
const settlement = (Math.floor(Date.now() / 86_400_000) + 1) * 86_400_000 + 8 * 3_600_000;

/**
 * The paper clock starts an hour (simulated) before a settlement and runs 60 times real time, so the
 * settlement comes a minute after the cockpit starts; the position is opened over the engine's own link
 * at once (the first test opens one through the page), and the page then shows what it crossed.
 */
test.describe('funding in sight', () => {
  test.use({ cockpitOptions: { args: ['--start-time', String(settlement - 60 * 60_000), '--speed', '60'] } });

  test('a position held across a settlement shows the rate, the countdown to the next one and the funding it paid; the account shows the day’s', async ({ page, cockpit }) => {
    test.setTimeout(180_000);
    const engine = await cockpit.connect();
    for (const id of ['trend-pullback', 'adaptive-leverage']) expect((await engine.call('strategy.set', { id, enabled: false })).ok).toBe(true);
    const { mark } = await engine.nextEvent('ticker', (t) => t.symbol === BTC && t.mark > 0);
    const created = await engine.call('proposal.create', { symbol: BTC, side: 'long', stop: Math.round(mark * 0.9), takeProfit: Math.round(mark * 1.2) });
    if (!created.ok) throw new Error(created.error.message);
    expect((await engine.call('proposal.approve', { id: created.value.id })).ok).toBe(true);
    engine.close();

    await openLoadedCockpit(page, cockpit);
    const row = page.locator(`[data-testid="position-row"][data-symbol="${BTC}"]`);
    const funding = row.getByTestId('position-funding');
    await expect(funding).toHaveAttribute('data-next', /^\d+$/);
    expect(await numberAttribute(funding, 'data-next'), 'the position opened before the settlement (the cockpit took under a minute to start)').toBeLessThanOrEqual(settlement);
    await expect(row.getByTestId('position-funding-countdown')).toHaveText(/^in \d/);
    await expect(row.getByTestId('position-funding-rate')).toHaveText(/^[+−]?\d+\.\d{4}%$/);

    await expect(funding, 'the next settlement moves on once this one is past').toHaveAttribute('data-next', String(settlement + 8 * 3_600_000), { timeout: 120_000 });
    await expect.poll(() => numberAttribute(funding, 'data-net').catch(() => 0), { message: 'the funding paid shows once the exchange has booked it', timeout: 30_000 }).not.toBe(0);
    const again = await cockpit.connect();
    const snapshot = await again.call('session.snapshot', {});
    if (!snapshot.ok) throw new Error(snapshot.error.message);
    const net = snapshot.value.funding!.positions.find((p) => p.symbol === BTC)!.net;
    expect(await numberAttribute(funding, 'data-net')).toBeCloseTo(net, 9);
    await expect(row.getByTestId('position-funding-net')).toHaveText(/^[+−]\d/);
    await expect(page.getByTestId('account-funding-today')).toHaveText(/^[+−]\d/);
  });
});

test.describe('a new user’s first proposal', () => {
  /** No --seed, as `npm start` and `npm run headless` run for a new user; at 5x, three simulated minutes are 36 s. */
  test.use({ cockpitOptions: { seed: null, args: ['--speed', '5'] } });

  test('a fresh paper account shows the bot’s BTC proposal within three simulated minutes, with nothing configured, and it can be approved', async ({ page, cockpit }) => {
    test.setTimeout(120_000);
    const opening = /chosen so that trend-pullback signals on BTC\/USDT:USDT (\d+) s after the start/;
    await expect.poll(() => cockpit.stderr(), { message: 'the start line names the opening it chose' }).toMatch(opening);
    expect(Number(opening.exec(cockpit.stderr())![1])).toBeLessThanOrEqual(180);

    await openLoadedCockpit(page, cockpit);
    const proposal = page.locator(`[data-testid="proposal"][data-symbol="${BTC}"][data-status="pending"]`).filter({ hasText: 'trend-pullback' });
    await expect(proposal, 'the strategy’s proposal arrives within three simulated minutes of the start').toHaveCount(1, { timeout: 40_000 });
    await expect(proposal).toContainText('pullback');
    await expect(proposal.getByTestId('proposal-verdict')).toHaveAttribute('data-ok', 'true');

    await proposal.getByTestId('proposal-approve').click();
    const row = page.locator(`[data-testid="position-row"][data-symbol="${BTC}"]`);
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId('position-stop'), 'its stop is on the exchange').toHaveCount(1);
  });
});
