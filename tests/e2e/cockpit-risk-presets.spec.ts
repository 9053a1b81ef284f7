import { expect, test } from './fixtures';
import { BTC, engineSnapshot, openLoadedCockpit, proposeFromTicket, showSymbol } from './cockpit-steps';

test.describe('risk presets by experience', () => {
  test('choosing Beginner shows what it changes, and once saved the ticket caps leverage at 1.5x and risks 0.5%', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    const engine = await cockpit.connect();
    await expect(page.getByTestId('ticket-risk')).toContainText('Risk 1.00% of equity');

    await page.getByTestId('settings-open').click();
    await expect(page.getByTestId('risk-preset')).toHaveValue('custom');
    await page.getByTestId('risk-preset').selectOption('beginner');
    await expect(page.getByTestId('risk-preset-changes')).toHaveText('Beginner: max leverage 5x → 1.5x, risk per trade 1% → 0.5%. Save to apply.');
    await expect(page.getByTestId('setting-risk.maxLeverage')).toHaveValue('1.5');
    await expect(page.getByTestId('setting-risk.riskPerTrade')).toHaveValue('0.005');
    await page.getByTestId('settings-save').click();
    await expect(page.getByTestId('settings-message')).toHaveText('Settings saved.');
    expect((await engineSnapshot(engine)).settings.risk).toMatchObject({ maxLeverage: 1.5, riskPerTrade: 0.005 });
    await page.getByTestId('settings-close').click();

    const ticket = page.getByRole('region', { name: 'Trade ticket' });
    await expect(ticket.getByText('(≤ 1.5x)')).toBeVisible();
    await expect(page.getByTestId('ticket-risk')).toContainText('Risk 0.50% of equity');

    const mark = await showSymbol(page, BTC);
    await page.getByTestId('ticket-symbol').selectOption(BTC);
    await page.getByTestId('ticket-stop').fill(String(Math.round(mark * 0.99)));
    await page.getByTestId('ticket-take-profit').fill(String(Math.round(mark * 1.02)));
    await page.getByTestId('ticket-leverage').fill('2');
    await page.getByTestId('ticket-propose').click();
    const leverage = page.locator('label', { has: page.getByTestId('ticket-leverage') }).getByRole('alert');
    await expect(leverage).toHaveText('at most 1.5x (your risk settings)');
    expect((await engineSnapshot(engine)).proposals, 'nothing above the cap was proposed').toEqual([]);

    const proposal = await proposeFromTicket(page, { symbol: BTC, side: 'long', leverage: 1.5 });
    await expect(proposal.getByTestId('proposal-risk-figure')).toHaveText('Risk per trade: 0.5% (your risk setting)');
    const [created] = (await engineSnapshot(engine)).proposals;
    expect(created?.leverage).toBeLessThanOrEqual(1.5);
    expect(created?.risk).toEqual({ fraction: 0.005, source: 'global', declared: null });
    engine.close();
  });
});
