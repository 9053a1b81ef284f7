import { expect, openCockpit, screenshotPath, test } from './fixtures';

test.describe('opening the cockpit in a browser', () => {
  test('the cockpit connects to the engine and says so', async ({ page, cockpit }) => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await openCockpit(page, cockpit);
    const gauge = page.getByTestId('rate-limit');
    await expect(gauge, 'the header shows the request weight used against the exchange limit').toHaveAttribute('data-limit', '2400');
    await expect.poll(async () => Number(await gauge.getAttribute('data-used')), { message: 'requests made at start count against it' }).toBeGreaterThan(0);
    await expect(gauge).toHaveText(/^ · \d+\/2400$/);
    await page.screenshot({ path: screenshotPath('connected.png') });
    expect(violations).toEqual([]);
  });

  test('a command and an event round-trip between the page and the engine', async ({ page, cockpit }) => {
    await openCockpit(page, cockpit);

    const engineSocket = `${cockpit.origin.replace(/^http/, 'ws')}/ws?token=${cockpit.token}`;
    const roundTrip = await page.evaluate(async (url) => {
      type Frame = { kind: string; id?: number | null; event?: string; result?: unknown; payload?: { type?: string } };
      const frames: Frame[] = [];
      const socket = new WebSocket(url);
      const arrived = (match: (frame: Frame) => boolean) =>
        new Promise<Frame>((resolve) => {
          const look = () => {
            const found = frames.find(match);
            if (found) resolve(found);
          };
          look();
          socket.addEventListener('message', look);
        });
      socket.addEventListener('message', (message) => frames.push(JSON.parse(String(message.data))));
      await new Promise((resolve, reject) => {
        socket.onopen = resolve;
        socket.onerror = reject;
      });
      socket.send(JSON.stringify({ id: 1, command: 'engine.ping', input: { nonce: 'from the page' } }));
      const pong = await arrived((f) => f.kind === 'result' && f.id === 1);
      socket.send(JSON.stringify({ id: 2, command: 'credentials.clear', input: {} }));
      const journal = await arrived((f) => f.kind === 'event' && f.event === 'journal' && f.payload?.type === 'credentials.clear');
      socket.close();
      return { pong: pong.result, journal: journal.payload };
    }, engineSocket);

    expect(roundTrip.pong).toMatchObject({ ok: true, value: { nonce: 'from the page', serverTime: expect.any(Number) } });
    expect(roundTrip.journal).toMatchObject({ type: 'credentials.clear', seq: expect.any(Number) });
    await page.getByTestId('tab-journal').click();
    await expect(page.locator('[data-testid="journal-entry"][data-type="credentials.clear"]')).toHaveCount(1);
  });
});
