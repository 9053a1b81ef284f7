import { expect, screenshotPath, test } from './fixtures';
import { BTC, ETH, openLoadedCockpit, openPosition, proposeFromTicket } from './cockpit-steps';

test.describe('circuit breakers', () => {
  test('a breaker trip appears in the breakers panel and blocks approval, with its reason', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    await openPosition(page, { symbol: BTC, side: 'long', stopPct: 2, takeProfitPct: 4, leverage: 5 });
    const exposure = page.locator('[data-testid="breaker"][data-id="total-exposure"]');
    await expect(exposure).toHaveAttribute('data-state', 'armed');

    await page.getByTestId('settings-open').click();
    await page.getByTestId('setting-breakers.maxTotalMarginPct').fill('1');
    await page.getByTestId('settings-save').click();
    await expect(page.getByTestId('settings-message')).toHaveText('Settings saved.');
    await page.getByTestId('settings-close').click();

    await expect(exposure).toHaveAttribute('data-state', 'tripped');
    const reason = exposure.getByTestId('breaker-reason');
    await expect(reason).toContainText('cap 1%');

    const proposal = await proposeFromTicket(page, { symbol: ETH, side: 'long', stopPct: 2, takeProfitPct: 4, leverage: 5 });
    await expect(proposal.locator('[data-rule]')).toHaveCount(1);
    await expect(proposal.locator('[data-rule="breaker"]')).toContainText('Total exposure');
    await expect(proposal.getByTestId('proposal-approve')).toBeDisabled();
    await expect(page.getByTestId('approval-blocked')).toContainText('Total exposure');
    await expect(page.getByTestId('approval-blocked')).toContainText((await reason.textContent())!);
    await expect(page.locator(`[data-testid="position-row"][data-symbol="${ETH}"]`)).toHaveCount(0);

    await exposure.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('breaker-tripped.png') });

    const engine = await cockpit.connect();
    const approve = await engine.call('proposal.approve', { id: await proposal.getAttribute('data-id') });
    expect(approve.ok, 'the engine refuses the approval too, not just the page').toBe(false);
    await expect(proposal).toHaveAttribute('data-status', 'refused');
    await expect(proposal.getByTestId('proposal-status-reason')).toContainText('Total exposure');
    await expect(page.locator(`[data-testid="position-row"][data-symbol="${ETH}"]`)).toHaveCount(0);
    engine.close();
  });

  test('a daily-loss trip counts down to its re-arm, and resetting it needs the breaker’s id typed back', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    const row = await openPosition(page, { symbol: BTC, side: 'long', stopPct: 2, takeProfitPct: 4, leverage: 5 });
    await row.getByTestId('position-close').click();
    await expect(page.getByTestId('position-row')).toHaveCount(0);

    await page.getByTestId('settings-open').click();
    await page.getByTestId('setting-breakers.dailyLossPct').fill('0.001');
    await page.getByTestId('settings-save').click();
    await expect(page.getByTestId('settings-message')).toHaveText('Settings saved.');
    await page.getByTestId('settings-close').click();

    const daily = page.locator('[data-testid="breaker"][data-id="daily-loss"]');
    await expect(daily).toHaveAttribute('data-state', 'tripped');
    await expect(daily.getByTestId('breaker-reason')).toContainText('today');
    await expect(daily).toContainText(/re-arms in \d+h \d\dm|re-arms in \d+m \d\ds/);

    await daily.getByTestId('breaker-reset').click();
    const confirm = daily.getByTestId('breaker-reset-confirm');
    await expect(confirm).toBeDisabled();
    await daily.getByTestId('breaker-reset-confirmation').fill('daily');
    await expect(confirm).toBeDisabled();
    await daily.getByTestId('breaker-reset-confirmation').fill('daily-loss');
    await confirm.click();
    await expect(daily).toHaveAttribute('data-state', 'armed');
  });

  test('an invalid breaker threshold is refused with a message at the field', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    await page.getByTestId('settings-open').click();
    const field = page.getByTestId('setting-breakers.dailyLossPct');
    await field.fill('250');
    await page.getByTestId('settings-save').click();
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('label', { has: field }).getByRole('alert')).toContainText('100');
    await expect(page.getByTestId('settings-message')).toContainText('Not saved');
  });
});
