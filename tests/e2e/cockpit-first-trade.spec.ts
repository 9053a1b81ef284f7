import { expect, test } from './fixtures';
import { BTC, numberAttribute, openLoadedCockpit, openPosition, showSymbol } from './cockpit-steps';

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
 * The paper clock starts 150 simulated minutes before a settlement and runs 150 times real time: the first
 * settlement comes a minute in, and should a loaded machine open the position only after it, the next
 * comes 192 seconds later. Nothing below assumes which one the position crosses.
 */
test.describe('funding in sight', () => {
  test.use({ cockpitOptions: { args: ['--start-time', String(settlement - 150 * 60_000), '--speed', '150'] } });

  test('a position held across a settlement shows the rate, the countdown to the next one and the funding it paid; the account shows the day’s', async ({ page, cockpit }) => {
    test.setTimeout(330_000);
    await openLoadedCockpit(page, cockpit);
    const quiet = await cockpit.connect();
    for (const id of ['trend-pullback', 'adaptive-leverage']) expect((await quiet.call('strategy.set', { id, enabled: false })).ok).toBe(true);
    quiet.close();
    const row = await openPosition(page, { symbol: BTC, side: 'long', stopPct: 10, takeProfitPct: 20 });
    const funding = row.getByTestId('position-funding');
    await expect(funding).toHaveAttribute('data-next', /^\d+$/);
    const next = await numberAttribute(funding, 'data-next');
    expect(next % (8 * 3_600_000), 'settlements fall at 00:00, 08:00 and 16:00 UTC').toBe(0);
    await expect(row.getByTestId('position-funding-countdown')).toHaveText(/^in \d/);
    await expect(row.getByTestId('position-funding-rate')).toHaveText(/^[+−]?\d+\.\d{4}%$/);

    await expect(funding, 'the next settlement moves on once this one is past').toHaveAttribute('data-next', String(next + 8 * 3_600_000), { timeout: 240_000 });
    await expect.poll(() => numberAttribute(funding, 'data-net').catch(() => 0), { message: 'the funding paid shows once the exchange has booked it', timeout: 30_000 }).not.toBe(0);
    const engine = await cockpit.connect();
    const snapshot = await engine.call('session.snapshot', {});
    if (!snapshot.ok) throw new Error(snapshot.error.message);
    const net = snapshot.value.funding!.positions.find((p) => p.symbol === BTC)!.net;
    expect(await numberAttribute(funding, 'data-net')).toBeCloseTo(net, 9);
    await expect(row.getByTestId('position-funding-net')).toHaveText(/^[+−]\d/);
    await expect(page.getByTestId('account-funding-today')).toHaveText(/^[+−]\d/);
  });
});
