import { MAX_FRAME_BYTES, MAX_STRING } from '../../shared/contract';
import { expect, test } from './fixtures';

test.describe('the engine WebSocket refuses bad input and keeps running', () => {
  test('typed errors for a wrong type, a missing field, an unknown command and an oversized string', async ({ cockpit }) => {
    const engine = await cockpit.connect();
    const cases = [
      { command: 'engine.ping', input: { nonce: 42 }, type: 'invalid-input' },
      { command: 'engine.ping', input: {}, type: 'invalid-input' },
      { command: 'engine.selfDestruct', input: {}, type: 'unknown-command' },
      { command: 'engine.ping', input: { nonce: 'x'.repeat(MAX_STRING + 1) }, type: 'invalid-input' },
    ] as const;
    for (const { command, input, type } of cases) {
      const result = await engine.call(command as 'engine.ping', input);
      expect(result, `${command} ${JSON.stringify(input).slice(0, 40)}`).toMatchObject({ ok: false, error: { type, message: expect.any(String) } });
    }
    expect(await engine.call('engine.ping', { nonce: 'still alive' })).toMatchObject({ ok: true, value: { nonce: 'still alive' } });
  });

  test('typed errors for a non-JSON frame, a frame of the wrong shape and an oversized frame', async ({ cockpit }) => {
    const engine = await cockpit.connect();
    expect(await engine.sendRaw('this is not json')).toMatchObject({ ok: false, error: { type: 'invalid-input' } });
    expect(await engine.sendRaw(JSON.stringify({ command: 'engine.ping' }))).toMatchObject({ ok: false, error: { type: 'invalid-input' } });
    expect(await engine.sendRaw('x'.repeat(MAX_FRAME_BYTES + 1))).toMatchObject({ ok: false, error: { type: 'invalid-input' } });
    expect(await engine.call('engine.ping', { nonce: 'still alive' })).toMatchObject({ ok: true, value: { nonce: 'still alive' } });
  });

  test('a bad frame from one client does not disturb another', async ({ cockpit, page }) => {
    const bystander = await cockpit.connect();
    const attacker = await cockpit.connect();
    await attacker.sendRaw('\u0000\u0001garbage');
    expect(await bystander.call('engine.ping', { nonce: 'unaffected' })).toMatchObject({ ok: true });
    await page.goto(cockpit.url);
    await expect(page.getByTestId('connection-status')).toHaveText('connected');
  });
});

test.describe('who may connect', () => {
  test('a connection without the token is refused', async ({ cockpit }) => {
    expect(await cockpit.refusal({ token: null })).toBe(401);
    expect(await cockpit.refusal({ token: 'f'.repeat(64) })).toBe(401);
  });

  test('a connection from a foreign Origin is refused, even with the token', async ({ cockpit }) => {
    expect(await cockpit.refusal({ origin: 'https://evil.example' })).toBe(403);
    expect(await cockpit.refusal({ origin: null })).toBe(403);
  });

  test('a page on another origin cannot reach the engine, even knowing the token', async ({ cockpit, page }) => {
    await page.goto('about:blank');
    const opened = await page.evaluate(
      (url) =>
        new Promise<boolean>((resolve) => {
          const socket = new WebSocket(url);
          socket.onopen = () => resolve(true);
          socket.onerror = () => resolve(false);
        }),
      `${cockpit.origin.replace('http', 'ws')}/ws?token=${cockpit.token}`,
    );
    expect(opened).toBe(false);
  });

  test('the page takes the token out of the address bar once read, and a reload still connects', async ({ cockpit, page }) => {
    await page.goto(cockpit.url);
    await expect(page.getByTestId('connection-status')).toHaveText('connected');
    expect(page.url()).toBe(`${cockpit.origin}/`);
    expect(page.url()).not.toContain(cockpit.token);
    await page.reload();
    await expect(page.getByTestId('connection-status')).toHaveText('connected');
  });

  test('the page itself, opened without the token, reports the engine as disconnected', async ({ cockpit, page }) => {
    await page.goto(`${cockpit.origin}/`);
    const status = page.getByTestId('connection-status');
    await expect(status).toHaveText('disconnected');
    for (let i = 0; i < 16; i++) {
      await page.waitForTimeout(500);
      await expect(status, 'it stays disconnected through snapshot retries and heartbeats').toHaveText('disconnected', { timeout: 100 });
    }
  });
});

test.describe('stopping', () => {
  test('SIGINT shuts the headless cockpit down cleanly', async ({ cockpit }) => {
    const engine = await cockpit.connect();
    expect(await engine.call('engine.ping', { nonce: 'before' })).toMatchObject({ ok: true });
    expect(await cockpit.stop('SIGINT')).toBe(0);
    expect(cockpit.stderr()).toContain('SIGINT');
  });

  test('SIGTERM to `npm run headless` shuts the engine down cleanly, leaves nothing running, and the journal records the stop', async ({ cockpit }) => {
    expect(await cockpit.stop('SIGTERM')).toBe(0);
    const { readFileSync } = await import('node:fs');
    const journal = readFileSync(`${cockpit.dataDir}/journal/journal.jsonl`, 'utf8');
    expect(journal).toContain('"type":"engine.stop"');
    const stillServing = await fetch(cockpit.origin).then(
      () => true,
      () => false,
    );
    expect(stillServing, 'no orphaned engine keeps serving after npm exits').toBe(false);
  });
});
