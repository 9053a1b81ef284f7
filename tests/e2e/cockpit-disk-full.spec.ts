import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openProtectedPosition } from '../../electron/engine/flatten/flatten-fixtures';
import { startVenue, type Venue } from '../../electron/venue/server';
import { BTC } from './cockpit-steps';
import { expect, openCockpit, startCockpit, test, type Cockpit } from './fixtures';

const ETH = 'ETH/USDT:USDT';
const SOL = 'SOL/USDT:USDT';

/** A small tmpfs for the cockpit's data folder: a real disk that really fills up. Fails, saying why, when mounting is refused. */
function mountSmallTmpfs(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    fs.rmdirSync(dir);
    const why = (error as { stderr?: Buffer }).stderr?.toString().trim() || String(error);
    throw new Error(`This test needs a small tmpfs for the data folder, and mounting one was refused (mount -t tmpfs needs root): ${why}`);
  }
  return dir;
}

function unmount(dir: string): void {
  execFileSync('umount', [dir], { stdio: 'pipe' });
  fs.rmdirSync(dir);
}

/** Writes a filler file until the disk takes not one byte more. */
function fillToTheLastByte(dir: string): void {
  const fd = fs.openSync(path.join(dir, 'filler'), 'w');
  try {
    for (const size of [1 << 20, 1 << 16, 4096, 256, 1]) {
      const chunk = Buffer.alloc(size, 0x78);
      for (;;) {
        try {
          if (fs.writeSync(fd, chunk) < size) break;
        } catch (error) {
          if ((error as { code?: string }).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  expect(fs.statfsSync(dir).bavail, 'the data disk is full').toBe(0);
}

const open = (venue: Venue) => venue.exchange.positions().filter((p) => p.positionAmt !== 0);

test.describe('the data disk fills up while positions are open on the venue', () => {
  let venue: Venue;
  let cockpit: Cockpit;
  let dispose: (() => Promise<void>) | undefined;
  let dataDir: string | undefined;

  test.beforeEach(async () => {
    dataDir = mountSmallTmpfs();
    venue = await startVenue({ speed: 1, seed: 12 });
    openProtectedPosition(venue.exchange, BTC, 'long');
    openProtectedPosition(venue.exchange, ETH, 'short');
    ({ cockpit, dispose } = await startCockpit({
      args: ['--exchange', 'binanceusdm', '--exchange-url', venue.url],
      env: { COCKPIT_API_KEY: venue.apiKey, COCKPIT_API_SECRET: venue.apiSecret },
      dataDir,
    }));
  });

  test.afterEach(async () => {
    await dispose?.();
    await venue?.close();
    if (dataDir) unmount(dataDir);
  });

  test('the panic button flattens the venue, the cockpit shows no position, says the disk is full and not that the flatten failed, and a second flatten and a close still work', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await openCockpit(page, cockpit);
    await expect(page.getByTestId('mode-badge')).toContainText('LIVE');
    await expect(page.getByTestId('position-row')).toHaveCount(2);
    await expect(page.getByTestId('account-flat')).toHaveText('EXPOSED');

    fillToTheLastByte(dataDir!);
    await page.getByTestId('panic-button').click();

    await expect(page.getByTestId('flatten-result')).toHaveAttribute('data-finished', 'true');
    await expect(page.getByTestId('flatten-result')).toHaveAttribute('data-flat', 'true');
    await expect(page.getByTestId('flatten-result')).not.toContainText(/fail/i);
    expect(open(venue)).toEqual([]);
    expect(venue.exchange.openOrders(undefined, 'all')).toEqual([]);
    await expect(page.getByTestId('position-row')).toHaveCount(0);
    await expect(page.getByTestId('position-no-stop')).toHaveCount(0);
    await expect(page.getByTestId('account-flat')).toHaveText('FLAT');
    await expect(page.getByTestId('data-disk-warning')).toContainText('Data disk full');
    await expect(page.getByTestId('data-disk-warning')).toContainText('the journal cannot be written');

    openProtectedPosition(venue.exchange, SOL, 'long');
    await expect(page.getByTestId('position-row')).toHaveCount(1);
    await page.getByTestId('flatten-result').getByRole('button', { name: 'Dismiss flatten result' }).click();
    await page.getByTestId('panic-button').click();
    await expect.poll(() => open(venue)).toEqual([]);
    await expect(page.getByTestId('flatten-result')).toHaveAttribute('data-flat', 'true');
    await expect(page.getByTestId('position-row')).toHaveCount(0);

    openProtectedPosition(venue.exchange, BTC, 'long');
    const row = page.locator(`[data-testid="position-row"][data-symbol="${BTC}"]`);
    await expect(row).toHaveAttribute('data-side', 'long');
    await row.getByTestId('position-close').click();
    await expect.poll(() => open(venue)).toEqual([]);
    await expect(page.getByTestId('position-row')).toHaveCount(0);
    await expect(page.getByTestId('data-disk-warning'), 'still warns while the disk is full').toContainText('Data disk full');
  });
});
