import { startVenue, type Venue } from '../../electron/venue/server';
import { expect, openCockpit, screenshotPath, startCockpit, test, type Cockpit } from './fixtures';
import { openLoadedCockpit } from './cockpit-steps';

const API_KEY = 'e2eKEYa1b2c3d4e5f6g7h8i9j0';
const API_SECRET = 'e2eSECRETz9y8x7w6v5u4t3s2r1q0';

/**
 * Keys are typed into a cockpit trading live against the Binance-compatible venue on loopback (whose account
 * they are, and which the engine started with from the environment), so *Test connection* really signs with
 * them and no test ever reaches a real exchange.
 */
test.describe('exchange keys stay in the main process', () => {
  let venue: Venue;
  let cockpit: Cockpit;
  let dispose: () => Promise<void>;

  test.beforeEach(async () => {
    venue = await startVenue({ speed: 1, seed: 5, apiKey: API_KEY, apiSecret: API_SECRET });
    ({ cockpit, dispose } = await startCockpit({
      args: ['--exchange', 'binanceusdm', '--exchange-url', venue.url],
      env: { COCKPIT_API_KEY: API_KEY, COCKPIT_API_SECRET: API_SECRET },
    }));
  });

  test.afterEach(async () => {
    await dispose?.();
    await venue?.close();
  });

  test('after the key and secret are entered, neither reaches the renderer again nor its storage', async ({ page }) => {
    const received: string[] = [];
    const sent: string[] = [];
    page.on('websocket', (socket) => {
      socket.on('framereceived', (frame) => received.push(String(frame.payload)));
      socket.on('framesent', (frame) => sent.push(String(frame.payload)));
    });
    await page.setViewportSize({ width: 1280, height: 800 });
    await openCockpit(page, cockpit);
    await expect(page.getByTestId('mode-badge')).toContainText('LIVE');

    await page.getByTestId('settings-open').click();
    await page.getByTestId('credentials-exchange').selectOption('binanceusdm');
    await page.getByTestId('credentials-api-key').fill(API_KEY);
    await page.getByTestId('credentials-api-secret').fill(API_SECRET);
    await page.getByTestId('credentials-demo').uncheck();
    await page.getByTestId('credentials-save').click();

    await expect(page.getByTestId('credentials-masked-key')).toHaveText(`${API_KEY.slice(0, 4)}…${API_KEY.slice(-4)}`);
    await expect(page.getByTestId('credentials-api-key')).toHaveValue('');
    await expect(page.getByTestId('credentials-api-secret')).toHaveValue('');
    await page.getByTestId('credentials-test').click();
    const result = page.getByTestId('credentials-test-result');
    await expect(result, 'the venue accepts the keys it was started with').toHaveAttribute('data-ok', 'true');
    await expect(result).toContainText('✓');
    await page.screenshot({ path: screenshotPath('settings.png') });

    await page.reload();
    await expect(page.getByTestId('connection-status')).toHaveText('connected');
    await page.getByTestId('settings-open').click();
    await expect(page.getByTestId('credentials-masked-key')).toBeVisible();

    expect(sent.filter((frame) => frame.includes(API_SECRET)), 'the keys were sent exactly once').toHaveLength(1);
    expect(received.length).toBeGreaterThan(0);
    for (const frame of received) {
      expect(frame).not.toContain(API_KEY);
      expect(frame).not.toContain(API_SECRET);
    }
    const stored = await page.evaluate(async () => {
      const browser = globalThis as unknown as {
        indexedDB: { databases(): Promise<{ name?: string }[]> };
        document: { cookie: string; documentElement: { outerHTML: string } };
      };
      const dump = (s: Storage) => Object.keys(s).map((k) => `${k}=${s.getItem(k)}`).join('\n');
      const databases = await browser.indexedDB.databases();
      return {
        local: dump(localStorage),
        session: dump(sessionStorage),
        cookies: browser.document.cookie,
        databases: databases.map((d) => d.name),
        html: browser.document.documentElement.outerHTML,
      };
    });
    expect(stored.databases).toEqual([]);
    for (const place of [stored.local, stored.session, stored.cookies, stored.html]) {
      expect(place).not.toContain(API_KEY);
      expect(place).not.toContain(API_SECRET);
    }
  });
});

test.describe('the exchange account form', () => {
  test('offers only the practice accounts the chosen exchange has, one at a time', async ({ page, cockpit }) => {
    await openLoadedCockpit(page, cockpit);
    await page.getByTestId('settings-open').click();
    await page.getByTestId('credentials-exchange').selectOption('binanceusdm');
    await expect(page.getByTestId('credentials-demo')).toBeChecked();
    await expect(page.getByTestId('credentials-testnet')).toHaveCount(0);
    await page.getByTestId('credentials-exchange').selectOption('bybit');
    await expect(page.getByTestId('credentials-testnet')).not.toBeChecked();
    await page.getByTestId('credentials-testnet').check();
    await expect(page.getByTestId('credentials-demo')).not.toBeChecked();
  });
});
