import { expect, test } from './fixtures';
import { BTC, engineSnapshot, openLoadedCockpit } from './cockpit-steps';

test.describe('settings', () => {
  test('a symbol the exchange does not list is refused at the symbols field, which names what it does list', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    const engine = await cockpit.connect();
    const before = (await engineSnapshot(engine)).settings.symbols;

    await page.getByTestId('settings-open').click();
    const field = page.getByTestId('setting-symbols');
    await field.fill(`${BTC}, FOO/USDT:USDT`);
    await page.getByTestId('settings-save').click();

    await expect(field).toHaveAttribute('aria-invalid', 'true');
    const message = page.locator('label', { has: field }).getByRole('alert');
    await expect(message).toContainText('FOO/USDT:USDT is not listed on paper');
    await expect(message).toContainText(`Available: ${BTC}`);
    await expect(page.getByTestId('settings-message')).toContainText('Settings rejected');
    expect((await engineSnapshot(engine)).settings.symbols, 'nothing was saved').toEqual(before);
    engine.close();
  });
});
