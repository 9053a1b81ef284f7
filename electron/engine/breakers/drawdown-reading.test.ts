import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { flatAccount } from '../../../shared/fixtures/account.fixture';
import type { StrategySettings } from '../../../shared/settings';
import type { Strategy, StrategyContext } from '../strategy/strategy';
import { paperEngine } from '../testing/paper-engine';
import { DrawdownReading } from './drawdown-reading';

/** A strategy that only notes the context of every bar it is fed. */
function contextRecorder(seen: StrategyContext[]) {
  return (settings: StrategySettings): Strategy => ({
    id: settings.id,
    label: 'context recorder',
    timeframe: settings.timeframe,
    warmup: 0,
    forSymbol: () => ({ onCandle: (_candle, context) => (seen.push(context), null) }),
  });
}

/** An engine on `dataDir` whose one strategy records what it sees; `equity` is the account as the engine's events report it. */
async function engineSeeing(dataDir: string) {
  const seen: StrategyContext[] = [];
  const h = await paperEngine({
    dataDir,
    settings: (s) => ({ ...s, strategies: s.strategies.filter((st) => st.id === 'adaptive-leverage').map((st) => ({ ...st, enabled: true })) }),
    trading: { buildStrategy: contextRecorder(seen) },
  });
  let bar = 0;
  return {
    ...h,
    equity(walletBalance: number) {
      h.engine.bus.emit('account', flatAccount(walletBalance, h.paper.sim.now()));
    },
    /** Feeds one closed bar and answers the drawdown the strategy saw on it. */
    async drawdownSeen(): Promise<number> {
      const time = ++bar * 60_000;
      h.engine.trading.runner.onClosedCandle('BTC/USDT:USDT', '1m', { time, open: 100, high: 101, low: 99, close: 100, volume: 1 });
      await h.engine.trading.runner.idle();
      return seen.at(-1)!.drawdownPct;
    },
  };
}

describe('the drawdown the strategies see', () => {
  it('is measured from the equity peak the drawdown breaker keeps', async () => {
    const h = await engineSeeing(fs.mkdtempSync(path.join(os.tmpdir(), 'drawdown-')));
    h.equity(10_000);
    h.equity(9_400);
    expect(await h.drawdownSeen()).toBeCloseTo(6, 9);
    expect(h.last('breakers')?.find((b) => b.id === 'drawdown')?.value).toBeCloseTo(6, 9);
  });

  it('survives a restart: a drawdown reached before it is the drawdown the strategy sees after it', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drawdown-'));
    const before = await engineSeeing(dataDir);
    before.equity(10_000);
    before.equity(8_800);
    expect(await before.drawdownSeen()).toBeCloseTo(12, 9);
    await before.engine.stop();

    const after = await engineSeeing(dataDir);
    after.equity(8_800);
    expect(await after.drawdownSeen(), 'the peak of 10,000 came back from disk').toBeCloseTo(12, 9);
    after.equity(11_000);
    expect(await after.drawdownSeen(), 'a new peak resets it').toBe(0);
  });

  it('is refused, loudly, before the breakers provide it', () => {
    const reading = new DrawdownReading();
    expect(() => reading.pct()).toThrow(/not known yet/);
    reading.provide(() => 4);
    expect(reading.pct()).toBe(4);
  });
});
