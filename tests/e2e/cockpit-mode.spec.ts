import { expect, test } from './fixtures';
import { openLoadedCockpit } from './cockpit-steps';

test.describe('choosing the trading mode in Settings', () => {
  test('headless trades paper and says at the field that its mode is chosen with --exchange at start', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    await page.getByTestId('settings-open').click();

    await expect(page.getByTestId('mode-current')).toHaveText('Paper (simulated)');
    await expect(page.getByTestId('mode-next')).toHaveText('Paper (simulated)');
    await expect(page.getByTestId('mode-apply')).toBeDisabled();

    await page.getByTestId('mode-select').selectOption('live');
    await expect(page.getByTestId('mode-apply'), 'live waits for the exchange id to be typed').toBeDisabled();
    await page.getByTestId('mode-confirm').fill('binanceusdm');
    await page.getByTestId('mode-apply').click();

    const modeField = page.locator('label', { has: page.getByTestId('mode-select') });
    await expect(modeField.getByRole('alert')).toContainText('--exchange');
    await expect(page.getByTestId('mode-current')).toHaveText('Paper (simulated)');

    const engine = await cockpit.connect();
    const journal = await engine.call('journal.tail', { filter: 'mode.' });
    expect(journal).toEqual({ ok: true, value: [] });
    engine.close();
  });
});
