import { expect, screenshotPath, test } from './fixtures';
import { BTC, ETH, numberAttribute, openLoadedCockpit, proposeFromTicket } from './cockpit-steps';

const amount = async (locator: import('@playwright/test').Locator) => Number((await locator.textContent())!.replace(/[^\d.]/g, ''));

test.describe('reviewing proposals', () => {
  test('a selected proposal shows everything the engine computed and its dashed lines on the chart', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    const proposal = await proposeFromTicket(page, { symbol: BTC, side: 'long', stopPct: 2, takeProfitPct: 4, leverage: 5 });
    await expect(proposal).toHaveAttribute('aria-selected', 'true');
    await expect(proposal.getByTestId('proposal-verdict')).toContainText('all pre-trade checks pass');
    await expect(proposal.getByTestId('proposal-expiry')).toHaveText(/^\d+m \d\ds$|^\d+s$/);

    for (const kind of ['entry', 'stop', 'take-profit', 'liquidation']) {
      await expect(page.getByTestId(`line-proposal-${kind}`)).toHaveCount(1);
    }
    expect(await numberAttribute(page.getByTestId('line-proposal-stop'), 'data-price')).toBeLessThan(await numberAttribute(page.getByTestId('line-proposal-entry'), 'data-price'));

    await proposal.click();
    await expect(proposal).toHaveAttribute('aria-selected', 'false');
    await expect(page.getByTestId('line-proposal-stop')).toHaveCount(0);
  });

  test('dragging a proposal’s stop re-plans it live with the shared risk math, and re-proposes on drop', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    const proposal = await proposeFromTicket(page, { symbol: BTC, side: 'long', stopPct: 2, takeProfitPct: 4, leverage: 5 });
    const oldId = await proposal.getAttribute('data-id');
    const quantityBefore = await amount(proposal.getByTestId('proposal-quantity'));
    const riskBefore = await amount(proposal.getByTestId('proposal-risk'));
    const entry = await numberAttribute(page.getByTestId('line-proposal-entry'), 'data-price');
    const stop = await numberAttribute(page.getByTestId('line-proposal-stop'), 'data-price');
    const handle = page.getByTestId('drag-handle-proposal-stop');
    const box = (await handle.boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;

    await page.mouse.move(x, y);
    await page.mouse.down();
    let draggedStop = stop;
    for (let step = 1; step <= 100 && draggedStop < stop + (entry - stop) / 2; step++) {
      await page.mouse.move(x, y - step * 3);
      draggedStop = await numberAttribute(handle, 'data-price');
    }
    expect(draggedStop).toBeLessThan(entry);
    await expect(proposal.getByTestId('proposal-what-if')).toBeVisible();
    const quantityLive = await amount(proposal.getByTestId('proposal-quantity'));
    expect(quantityLive, 'a nearer stop means a bigger size for the same risk').toBeGreaterThan(quantityBefore);
    expect(Math.abs((await amount(proposal.getByTestId('proposal-risk'))) - riskBefore) / riskBefore).toBeLessThan(0.05);
    await page.screenshot({ path: screenshotPath('proposal-what-if.png') });
    await page.mouse.up();

    await expect(page.getByTestId('drag-message')).toContainText('Re-proposed');
    await expect(page.locator(`[data-testid="proposal"][data-id="${oldId}"]`)).toHaveAttribute('data-status', 'rejected');
    const replacement = page.locator('[data-testid="proposal"][data-status="pending"]');
    await expect(replacement).toHaveCount(1);
    await expect(replacement.getByTestId('proposal-quantity')).toHaveText(String(quantityLive.toFixed(3)));
    expect(await numberAttribute(page.getByTestId('line-proposal-stop'), 'data-price')).toBe(draggedStop);
  });

  test('A approves and R rejects the selected proposal from the keyboard', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    const toReject = await proposeFromTicket(page, { symbol: ETH, side: 'short', stopPct: 2, takeProfitPct: 4, leverage: 5 });
    await page.keyboard.press('r');
    await expect(toReject).toHaveAttribute('data-status', 'rejected');

    const toApprove = await proposeFromTicket(page, { symbol: BTC, side: 'long', stopPct: 2, takeProfitPct: 4, leverage: 5 });
    await page.keyboard.press('a');
    await expect(toApprove).toHaveAttribute('data-status', 'executed');
    await expect(page.locator(`[data-testid="position-row"][data-symbol="${BTC}"]`)).toHaveCount(1);
    await expect(page.locator(`[data-testid="position-row"][data-symbol="${ETH}"]`)).toHaveCount(0);
  });
});
