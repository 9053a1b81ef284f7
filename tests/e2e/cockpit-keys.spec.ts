import { expect, screenshotPath, test } from './fixtures';
import { openLoadedCockpit } from './cockpit-steps';

const API_KEY = 'e2eKEYa1b2c3d4e5f6g7h8i9j0';
const API_SECRET = 'e2eSECRETz9y8x7w6v5u4t3s2r1q0';

test.describe('exchange keys stay in the main process', () => {
  test('after the key and secret are entered, neither reaches the renderer again nor its storage', async ({ page, cockpit }) => {
    const received: string[] = [];
    const sent: string[] = [];
    page.on('websocket', (socket) => {
      socket.on('framereceived', (frame) => received.push(String(frame.payload)));
      socket.on('framesent', (frame) => sent.push(String(frame.payload)));
    });
    await openLoadedCockpit(page, cockpit);

    await page.getByTestId('settings-open').click();
    await page.getByTestId('credentials-exchange').selectOption('binanceusdm');
    await page.getByTestId('credentials-api-key').fill(API_KEY);
    await page.getByTestId('credentials-api-secret').fill(API_SECRET);
    await page.getByTestId('credentials-demo').check();
    await page.getByTestId('credentials-save').click();

    await expect(page.getByTestId('credentials-masked-key')).toHaveText(`${API_KEY.slice(0, 4)}…${API_KEY.slice(-4)}`);
    await expect(page.getByTestId('credentials-api-key')).toHaveValue('');
    await expect(page.getByTestId('credentials-api-secret')).toHaveValue('');
    await page.getByTestId('credentials-test').click();
    await expect(page.getByTestId('credentials-test-result')).toBeVisible();
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
