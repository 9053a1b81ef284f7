import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BreakerView, Fill, Notification, Position, Ticker } from '../../../shared/domain';
import type { MarginTier } from '../../../shared/risk/liquidation';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/settings';
import { CommandError } from '../errors';
import { EventBus } from '../event-bus';
import { Journal } from '../journal';
import { BreakerStateFile } from './breaker-state-file';
import { REDUCE_INTERVAL_MS, SAVE_RETRY_MS, BreakerManager, type BreakerActions } from './manager';
import { FailingDisk, WRITE_FAILURES } from '../testing/failing-disk';
import { entry } from './snapshot.fixture';
import { flatAccount } from '../../../shared/fixtures/account.fixture';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
const T0 = Date.parse('2025-03-12T10:00:00Z');
const MIN = 60_000;
const tiers: MarginTier[] = [{ minNotional: 0, maxNotional: 1e12, maintenanceMarginRate: 0.004, maintenanceAmount: 0 }];

const account = (walletBalance: number) => flatAccount(walletBalance, T0);

/** A position whose isolated wallet is its margin at entry, unless the test says otherwise. */
const position = (overrides: Partial<Position> = {}): Position => {
  const p: Omit<Position, 'isolatedWallet'> = {
    symbol: BTC,
    side: 'long',
    contracts: 0.1,
    entryPrice: 50_000,
    markPrice: 50_000,
    notional: 5_000,
    unrealizedPnl: 0,
    leverage: 5,
    marginMode: 'isolated',
    initialMargin: 1_000,
    maintenanceMargin: 20,
    liquidationPrice: 40_200,
    distanceToLiquidationPct: 19.6,
    origin: 'bot',
    stopPrice: 48_000,
    takeProfitPrice: 55_000,
    updatedAt: T0,
    ...overrides,
  };
  return { ...p, isolatedWallet: overrides.isolatedWallet ?? (p.marginMode === 'isolated' ? (p.contracts * p.entryPrice) / p.leverage : 0) };
};

const ticker = (symbol: string, mark: number, time: number): Ticker => ({ symbol, last: mark, mark, index: mark, fundingRate: 0, nextFundingTime: 0, time });

const fill = (overrides: Partial<Fill>): Fill => ({
  orderId: '1',
  clientOrderId: 'c',
  symbol: BTC,
  side: 'sell',
  price: 50_000,
  amount: 0.1,
  fee: 0,
  realizedPnl: 0,
  time: T0,
  ...overrides,
});

class Harness {
  clock = T0;
  settings: Settings = structuredClone(DEFAULT_SETTINGS);
  calls: Array<{ action: string; symbol?: string; fraction?: number; reason: string; journalTypes: string[] }> = [];
  /** The strategies stopped and released, apart from the orders' actions. */
  strategyCalls: Array<{ action: 'halt' | 'release'; reason: string; journalTypes: string[] }> = [];
  views: BreakerView[] = [];
  notifications: Notification[] = [];
  journal: Journal;
  manager!: BreakerManager;
  /** What the stub flatten reports: false plays a flatten the process never finished. */
  flattenEndsFlat = true;
  /** The disk under the journal and the state file: make it fail to play a full or broken disk. */
  readonly disk = new FailingDisk();

  constructor(readonly dir: string) {
    this.journal = new Journal({ dir: path.join(dir, 'journal'), now: () => this.clock, disk: this.disk.disk });
    this.start();
  }

  start(): BreakerManager {
    const types = () => this.journal.tail(1000).map((e) => e.type);
    const actions: BreakerActions = {
      flatten: async (reason) => {
        this.calls.push({ action: 'flatten', reason, journalTypes: types() });
        return { flat: this.flattenEndsFlat };
      },
      reduce: async (symbol, fraction, reason) => void this.calls.push({ action: 'reduce', symbol, fraction, reason, journalTypes: types() }),
      close: async (symbol, reason) => void this.calls.push({ action: 'close', symbol, reason, journalTypes: types() }),
      haltStrategies: (reason) => void this.strategyCalls.push({ action: 'halt', reason, journalTypes: types() }),
      releaseStrategies: (reason) => void this.strategyCalls.push({ action: 'release', reason, journalTypes: types() }),
    };
    this.manager = new BreakerManager({
      journal: this.journal,
      stateFile: new BreakerStateFile(path.join(this.dir, 'breakers.json'), this.disk.disk),
      settings: () => this.settings,
      now: () => this.clock,
      actions,
      output: { breakers: (v) => (this.views = v), notification: (n) => this.notifications.push(n) },
      tiers: () => tiers,
      market: () => ({ amountStep: 0.001, minAmount: 0.001 }),
    });
    return this.manager;
  }

  view(id: string): BreakerView {
    return this.manager.views().find((v) => v.id === id)!;
  }

  journalOf(type: string) {
    return this.journal.tail(1000).filter((e) => e.type === type);
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

let dir: string;
let h: Harness;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'breakers-'));
  h = new Harness(dir);
});
afterEach(() => {
  h.journal.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('breaker manager', () => {
  it('trips the daily loss limit from a mark-price update, journals it, and blocks entries with its reason', () => {
    h.manager.observeAccount(account(10_000));
    h.manager.observePositions([position({ contracts: 1, leverage: 10, liquidationPrice: 10_000 })]);
    h.manager.observeMark(ticker(BTC, 49_600, T0));
    expect(h.view('daily-loss').state).toBe('armed');
    expect(h.manager.entryViolations(entry())).toEqual([]);

    h.manager.observeMark(ticker(BTC, 49_500, T0 + 1_000));
    const view = h.view('daily-loss');
    expect(view).toMatchObject({ state: 'tripped', value: 5, threshold: 5, trippedUntil: Date.parse('2025-03-13T00:00:00Z'), needsReset: false });
    expect(h.journalOf('breaker.trip')).toHaveLength(1);
    expect(h.notifications.at(-1)).toMatchObject({ level: 'warning', title: 'Daily loss limit tripped' });
    expect(h.views.find((v) => v.id === 'daily-loss')?.state).toBe('tripped');

    const violations = h.manager.entryViolations(entry());
    expect(violations).toEqual([{ rule: 'breaker', message: expect.stringMatching(/^Daily loss limit tripped: Down 5% today/) }]);
  });

  it('stops the strategies when the daily loss limit trips, journalled first, and lets them go when the day ends', () => {
    h.manager.observeAccount(account(10_000));
    h.manager.observeAccount(account(9_400));
    const reason = 'Daily loss limit tripped: strategies stopped until it re-arms or you resume them';
    expect(h.strategyCalls).toEqual([{ action: 'halt', reason, journalTypes: ['breaker.trip', 'breaker.strategies.halt'] }]);
    expect(h.manager.strategyHalts().map((v) => v.id)).toEqual(['daily-loss']);
    h.clock = Date.parse('2025-03-13T00:00:00Z');
    h.manager.evaluate();
    expect(h.strategyCalls.at(-1)).toMatchObject({ action: 'release', reason });
    expect(h.journalOf('breaker.strategies.release')).toHaveLength(1);
    expect(h.manager.strategyHalts()).toEqual([]);
  });

  it('lets the strategies go when the user resets a weekly loss limit, and leaves them alone when the setting says so', () => {
    h.manager.observeAccount(account(10_000));
    h.manager.observeAccount(account(8_400));
    expect(h.strategyCalls.map((c) => `${c.action} ${c.reason.split(' tripped')[0]}`)).toEqual(['halt Daily loss limit', 'halt Weekly loss limit']);
    h.manager.reset('weekly-loss', 'weekly-loss');
    expect(h.strategyCalls.at(-1)).toMatchObject({ action: 'release', reason: expect.stringMatching(/^Weekly loss limit tripped/) });

    const quiet = fs.mkdtempSync(path.join(os.tmpdir(), 'breakers-quiet-'));
    const other = new Harness(quiet);
    other.settings = { ...other.settings, breakers: { ...other.settings.breakers, lossLimitsHaltStrategies: false } };
    other.manager.observeAccount(account(10_000));
    other.manager.observeAccount(account(8_400));
    expect(other.view('daily-loss').state).toBe('tripped');
    expect(other.strategyCalls).toEqual([]);
    expect(other.manager.strategyHalts()).toEqual([]);
    other.journal.close();
    fs.rmSync(quiet, { recursive: true, force: true });
  });

  it('flattens at 8% daily volatility only when the volatility flatten is switched on, and holds until reset', async () => {
    const wild = (manager: BreakerManager, clock: { clock: number }) => {
      for (let i = 0; i < 40; i++) manager.observeMark(ticker(BTC, i % 2 ? 50_000 : 54_000, (clock.clock += MIN)));
    };
    wild(h.manager, h);
    await settle();
    expect(h.view('volatility-flatten')).toMatchObject({ state: 'armed', threshold: 8, off: true });
    expect(h.view('volatility-flatten').value).toBeGreaterThan(8);
    expect(h.calls.filter((c) => c.action === 'flatten')).toEqual([]);

    h.settings = { ...h.settings, breakers: { ...h.settings.breakers, volatilityFlattenEnabled: true } };
    wild(h.manager, h);
    await settle();
    expect(h.calls.filter((c) => c.action === 'flatten')).toHaveLength(1);
    expect(h.calls.find((c) => c.action === 'flatten')!.journalTypes).toContain('breaker.trip');
    expect(h.view('volatility-flatten')).toMatchObject({ state: 'tripped', needsReset: true });
    expect(h.view('volatility-flatten').off).toBeUndefined();
    expect(h.manager.strategyHalts().map((v) => v.id)).toContain('volatility-flatten');
  });

  it('keeps a tripped breaker tripped across a restart', () => {
    h.manager.observeAccount(account(10_000));
    h.manager.observeAccount(account(9_000));
    expect(h.view('daily-loss').state).toBe('tripped');

    const restarted = h.start();
    expect(h.view('daily-loss')).toMatchObject({ state: 'tripped', value: 10 });
    restarted.observeAccount(account(9_000));
    expect(h.view('daily-loss')).toMatchObject({ state: 'tripped', value: 10 });
    expect(restarted.entryViolations(entry())).toHaveLength(1);
  });

  it('remembers the equity peak and the start of the day across a restart', () => {
    h.manager.observeAccount(account(10_000));
    h.clock += 60_000;
    h.manager.observeAccount(account(12_000));
    const restarted = h.start();
    restarted.observeAccount(account(11_600));
    expect(h.view('daily-loss')).toMatchObject({ state: 'armed', value: 0 });
    restarted.observeAccount(account(9_600));
    expect(h.view('drawdown').state).toBe('tripped');
    expect(h.view('daily-loss')).toMatchObject({ state: 'armed', value: 4 });
  });

  it('re-arms a timed trip by itself when its time comes, and journals it', () => {
    h.manager.observeAccount(account(10_000));
    h.manager.observeAccount(account(9_000));
    h.clock = Date.parse('2025-03-13T00:00:00Z');
    h.manager.evaluate();
    expect(h.view('daily-loss').state).toBe('armed');
    expect(h.journalOf('breaker.rearm').map((e) => (e.data as { id: string }).id)).toEqual(['daily-loss']);
  });

  it('flattens at the drawdown limit only after journalling the trip, and holds until the user resets it', async () => {
    h.manager.observeAccount(account(12_000));
    h.manager.observeAccount(account(9_601));
    await settle();
    expect(h.calls).toEqual([]);
    h.clock += 2 * 86_400_000;
    h.manager.observeAccount(account(9_600));
    await settle();
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]!.action).toBe('flatten');
    expect(h.calls[0]!.journalTypes).toContain('breaker.trip');
    expect(h.view('drawdown')).toMatchObject({ state: 'tripped', needsReset: true, trippedUntil: null });

    h.manager.observeAccount(account(11_900));
    h.clock += 30 * 86_400_000;
    h.manager.evaluate();
    await settle();
    expect(h.view('drawdown').state).toBe('tripped');
    expect(h.calls).toHaveLength(1);
  });

  describe.each(WRITE_FAILURES)('when the disk refuses writes with %s', (code) => {
    const tripDrawdown = async () => {
      h.manager.observeAccount(account(12_000));
      h.clock += 2 * 86_400_000;
      h.manager.observeAccount(account(9_600));
      await settle();
    };

    it('a drawdown trip still flattens, notifies and holds when its state cannot be saved; the failed save is reported on its own and retried', async () => {
      h.manager.observeAccount(account(12_000));
      h.disk.fail(code, { pathContains: 'breakers.json' });
      h.clock += 2 * 86_400_000;
      h.manager.observeAccount(account(9_600));
      await settle();
      expect(h.calls.map((c) => c.action)).toEqual(['flatten']);
      expect(h.view('drawdown')).toMatchObject({ state: 'tripped', needsReset: true });
      expect(h.notifications.map((n) => n.title)).toEqual(expect.arrayContaining(['Drawdown from peak tripped', 'Breaker state not saved']));
      expect(h.notifications.find((n) => n.title === 'Breaker state not saved')!.message).toContain(code);
      expect(h.journalOf('breaker.state.save.failed')).toHaveLength(1);
      expect(h.manager.entryViolations(entry()).map((v) => v.rule)).toContain('breaker');

      h.disk.heal();
      h.clock += SAVE_RETRY_MS;
      h.manager.evaluate();
      expect(h.journalOf('breaker.state.saved')).toHaveLength(1);
      h.start();
      expect(h.view('drawdown').state, 'a restart finds the trip the retry saved').toBe('tripped');
    });

    it('a drawdown trip still flattens when neither its journal entry nor its state can be written', async () => {
      h.disk.fail(code);
      await tripDrawdown();
      expect(h.calls.map((c) => c.action)).toEqual(['flatten']);
      expect(h.view('drawdown').state).toBe('tripped');
      expect(h.notifications.map((n) => n.title)).toContain('Drawdown from peak tripped');
    });
  });

  it('after a restart, flattens once more, journalled first, when the first position list shows what a tripped drawdown left open', async () => {
    h.flattenEndsFlat = false;
    h.manager.observeAccount(account(12_000));
    h.manager.observeAccount(account(9_000));
    await settle();
    expect(h.calls.map((c) => c.action)).toEqual(['flatten']);

    const restarted = h.start();
    restarted.observeAccount(account(9_000));
    await settle();
    expect(h.calls).toHaveLength(1);
    restarted.observePositions([position()]);
    await settle();
    expect(h.calls.map((c) => c.action)).toEqual(['flatten', 'flatten']);
    expect(h.calls[1]!.journalTypes.at(-1)).toBe('breaker.flatten.resumed');
    restarted.observePositions([position()]);
    await settle();
    expect(h.calls).toHaveLength(2);

    h.start().observePositions([]);
    await settle();
    expect(h.calls).toHaveLength(2);
  });

  it('after a restart, leaves alone a position opened since a drawdown flatten that reported the account flat', async () => {
    h.manager.observeAccount(account(12_000));
    h.manager.observeAccount(account(9_000));
    await settle();
    expect(h.calls.map((c) => c.action)).toEqual(['flatten']);
    expect(h.journal.tail(50).map((e) => e.type)).toContain('breaker.flatten.flat');

    const restarted = h.start();
    restarted.observeAccount(account(9_000));
    restarted.observePositions([position()]);
    await settle();
    expect(h.calls).toHaveLength(1);
    expect(h.view('drawdown').state).toBe('tripped');
  });

  it('resets only with the breaker id typed as confirmation, journals the reset, and measures from there', () => {
    h.manager.observeAccount(account(12_000));
    h.manager.observeAccount(account(9_000));
    expect(() => h.manager.reset('drawdown', 'yes')).toThrow(CommandError);
    expect(() => h.manager.reset('drawdown', 'yes')).toThrow(/type its id "drawdown"/);
    expect(() => h.manager.reset('nope', 'nope')).toThrow(/no breaker/);
    expect(() => h.manager.reset('leverage', 'leverage')).toThrow(/re-arms by itself/);
    expect(() => h.manager.reset('consecutive-losses', 'consecutive-losses')).toThrow(/not tripped/);
    expect(h.view('drawdown').state).toBe('tripped');
    expect(h.journalOf('breaker.reset')).toHaveLength(0);

    const view = h.manager.reset('drawdown', 'drawdown');
    expect(view).toMatchObject({ state: 'armed', value: 0 });
    expect(h.journalOf('breaker.reset')).toEqual([expect.objectContaining({ data: expect.objectContaining({ id: 'drawdown', by: 'user' }) })]);
    h.manager.observeAccount(account(8_000));
    expect(h.view('drawdown').state).toBe('armed');
    h.manager.observeAccount(account(7_200));
    expect(h.view('drawdown').state).toBe('tripped');
  });

  it('cuts at least the minimum order size when the configured fraction of a small position would round to nothing', async () => {
    h.settings.breakers.marginRatioEmergencyPct = 30;
    h.settings.breakers.marginRatioWarnPct = 10;
    h.manager.observeAccount(account(10_000));
    // 0.002 BTC at 10x from 50,000; 30% of it is 0.0006, below the 0.001 step and minimum
    h.manager.observePositions([position({ contracts: 0.002, notional: 100, leverage: 10, liquidationPrice: null })]);
    h.manager.observeMark(ticker(BTC, 45_600, T0));
    await settle();
    expect(h.calls).toEqual([expect.objectContaining({ action: 'reduce', symbol: BTC })]);
    const fraction = h.calls[0]!.fraction!;
    expect(Math.floor((0.002 * fraction) / 0.001 + 1e-9) * 0.001).toBeCloseTo(0.001, 9);
    expect(h.journalOf('breaker.action').at(-1)?.data).toMatchObject({ fraction });
  });

  it('cuts a position by the configured fraction when a mark update pushes its margin ratio past the emergency level', async () => {
    h.settings.breakers.marginRatioEmergencyPct = 30;
    h.settings.breakers.marginRatioWarnPct = 10;
    h.manager.observeAccount(account(10_000));
    // 0.1 BTC at 10x from 50,000: wallet 500, maintenance 0.4% of notional; at 46,000: 18.4 / 100 = 18.4%
    h.manager.observePositions([position({ leverage: 10, liquidationPrice: null })]);
    h.manager.observeMark(ticker(BTC, 46_000, T0));
    expect(h.view('margin-ratio').state).toBe('warning');
    expect(h.notifications.at(-1)).toMatchObject({ level: 'warning', title: 'Margin ratio warning' });
    await settle();
    expect(h.calls).toEqual([]);

    // at 45,600: 18.24 / 60 = 30.4%
    h.manager.observeMark(ticker(BTC, 45_600, T0 + 1_000));
    await settle();
    expect(h.calls).toEqual([expect.objectContaining({ action: 'reduce', symbol: BTC, fraction: 0.3 })]);
    expect(h.calls[0]!.journalTypes.slice(-2)).toEqual(['breaker.trip', 'breaker.action']);
    expect(h.view('margin-ratio').state).toBe('tripped');

    h.manager.observeMark(ticker(BTC, 45_590, T0 + 2_000));
    await settle();
    expect(h.calls).toHaveLength(1);
    h.clock += REDUCE_INTERVAL_MS;
    h.manager.observeMark(ticker(BTC, 45_590, h.clock));
    await settle();
    expect(h.calls).toHaveLength(2);
  });

  it('closes a position when a mark update brings it within the liquidation distance, and only that one', async () => {
    h.manager.observeAccount(account(10_000));
    h.manager.observePositions([position({ symbol: BTC, liquidationPrice: 45_000 }), position({ symbol: ETH, entryPrice: 2_000, markPrice: 2_000, contracts: 1, liquidationPrice: 1_000 })]);
    h.manager.observeMark(ticker(BTC, 47_400, T0));
    await settle();
    expect(h.calls).toEqual([]);
    h.manager.observeMark(ticker(BTC, 47_300, T0 + 500));
    await settle();
    expect(h.calls).toEqual([expect.objectContaining({ action: 'close', symbol: BTC })]);
    expect(h.calls[0]!.journalTypes.at(-1)).toBe('breaker.action');
    expect(h.notifications.at(-1)).toMatchObject({ level: 'critical', title: 'Distance to liquidation tripped' });
  });

  it('journals and reports a failed action', async () => {
    const failing = new BreakerManager({
      journal: h.journal,
      stateFile: new BreakerStateFile(path.join(dir, 'other.json')),
      settings: () => h.settings,
      now: () => h.clock,
      actions: { flatten: async () => ({ flat: true }), reduce: async () => undefined, close: async () => Promise.reject(new Error('exchange down')), haltStrategies: () => undefined, releaseStrategies: () => undefined },
      output: { breakers: () => undefined, notification: (n) => h.notifications.push(n) },
    });
    failing.observeAccount(account(10_000));
    failing.observePositions([position({ liquidationPrice: 49_000 })]);
    await settle();
    expect(h.journalOf('breaker.action.failed')).toEqual([expect.objectContaining({ data: expect.objectContaining({ action: 'close', symbol: BTC, error: 'exchange down' }) })]);
    expect(h.notifications.at(-1)).toMatchObject({ level: 'critical', message: 'exchange down' });
  });

  it('starts a cooldown after three losing trades in a row, seen through fills and positions', () => {
    h.manager.observeAccount(account(100_000));
    for (let i = 1; i <= 3; i++) {
      h.clock = T0 + i * MIN;
      h.manager.observePositions([position()]);
      h.manager.observeFill(fill({ realizedPnl: -10, fee: 1, time: h.clock }));
      h.manager.observePositions([]);
      expect(h.view('consecutive-losses').state).toBe(i < 3 ? 'armed' : 'tripped');
    }
    expect(h.view('consecutive-losses')).toMatchObject({ value: 3, trippedUntil: T0 + 3 * MIN + 60 * MIN });
    h.clock = T0 + 63 * MIN;
    h.manager.evaluate();
    expect(h.view('consecutive-losses').state).toBe('armed');
  });

  it('counts the losing streak again once the cooldown is over: one more loss does not restart it, three more do', () => {
    const lose = (at: number) => {
      h.clock = at;
      h.manager.observePositions([position()]);
      h.manager.observeFill(fill({ realizedPnl: -10, fee: 1, time: at }));
      h.manager.observePositions([]);
    };
    h.manager.observeAccount(account(100_000));
    for (let i = 1; i <= 3; i++) lose(T0 + i * MIN);
    expect(h.view('consecutive-losses').state).toBe('tripped');

    h.clock = T0 + 63 * MIN;
    h.manager.evaluate();
    expect(h.view('consecutive-losses')).toMatchObject({ state: 'armed', value: 0 });
    expect(h.journalOf('breaker.rearm').at(-1)?.data).toMatchObject({ id: 'consecutive-losses', rebase: 'streak' });

    lose(T0 + 70 * MIN);
    expect(h.view('consecutive-losses')).toMatchObject({ state: 'armed', value: 1 });
    lose(T0 + 71 * MIN);
    expect(h.view('consecutive-losses').state).toBe('armed');
    lose(T0 + 72 * MIN);
    expect(h.view('consecutive-losses')).toMatchObject({ state: 'tripped', value: 3, trippedUntil: T0 + 72 * MIN + 60 * MIN });
    expect(h.journalOf('breaker.trip').filter((e) => (e.data as { id: string }).id === 'consecutive-losses')).toHaveLength(2);
  });

  it('re-arms a cooldown that ended while the engine was stopped, and the streak it started again is kept on disk', () => {
    h.manager.observeAccount(account(100_000));
    for (let i = 1; i <= 3; i++) {
      h.clock = T0 + i * MIN;
      h.manager.observePositions([position()]);
      h.manager.observeFill(fill({ realizedPnl: -10, time: h.clock }));
      h.manager.observePositions([]);
    }
    h.clock = T0 + 64 * MIN;
    h.start().evaluate();
    expect(h.view('consecutive-losses')).toMatchObject({ state: 'armed', value: 0 });
    h.start().evaluate();
    expect(h.view('consecutive-losses')).toMatchObject({ state: 'armed', value: 0 });
    expect(h.journalOf('breaker.rearm')).toHaveLength(1);
  });

  it('blocks an entry that would pass the exposure cap, without tripping anything', () => {
    h.manager.observeAccount(account(10_000));
    h.manager.observePositions([position({ contracts: 1, leverage: 10 })]);
    expect(h.manager.entryViolations(entry({ margin: 1_000 }))).toEqual([]);
    const [violation] = h.manager.entryViolations(entry({ margin: 1_001, leverage: 3 }));
    expect(violation).toEqual({ rule: 'breaker', message: expect.stringMatching(/^Total exposure \(margin\): This entry would bring margin in use to 60\.01%/) });
    expect(h.manager.entryViolations(entry({ leverage: 6 }))).toEqual([{ rule: 'breaker', message: expect.stringMatching(/Leverage 6x is above the 5x cap/) }]);
    expect(h.journalOf('breaker.trip')).toHaveLength(0);
  });

  it('shows a gate at its cap as tripped and journals the change', () => {
    h.manager.observeAccount(account(10_000));
    h.manager.observePositions([position({ contracts: 0.8, leverage: 10 }), position({ symbol: ETH, contracts: 4, entryPrice: 2_000, markPrice: 2_000, leverage: 4 })]);
    expect(h.view('total-exposure')).toMatchObject({ state: 'tripped', value: 60, threshold: 60, needsReset: false });
    expect(h.journalOf('breaker.state')).toEqual(expect.arrayContaining([expect.objectContaining({ data: expect.objectContaining({ id: 'total-exposure', state: 'tripped' }) })]));
  });

  it('blocks every entry with the reason the panel shows while a gate is at its cap, and re-checks when settings change', () => {
    const bus = new EventBus();
    h.manager.attach(bus);
    bus.emit('account', account(10_000));
    bus.emit('positions', [position({ contracts: 0.1, leverage: 10 })]);
    expect(h.view('total-exposure').state).toBe('armed');
    h.settings = { ...h.settings, breakers: { ...h.settings.breakers, maxTotalMarginPct: 1 } };
    bus.emit('settings', h.settings);
    const view = h.views.find((v) => v.id === 'total-exposure')!;
    expect(view).toMatchObject({ state: 'tripped', reason: 'Margin in use is 5% of equity (cap 1%)' });
    expect(h.manager.entryViolations(entry({ margin: 1 }))).toEqual([{ rule: 'breaker', message: `Total exposure (margin) tripped: ${view.reason}` }]);
  });

  it('keeps every latch breaker tripped until reset when its saved state cannot be read', () => {
    h.journal.close();
    fs.writeFileSync(path.join(dir, 'breakers.json'), '{"version":1,"records":{');
    h = new Harness(dir);
    expect(h.view('daily-loss')).toMatchObject({ state: 'tripped', needsReset: true, reason: expect.stringMatching(/could not be read/) });
    expect(h.manager.entryViolations(entry()).length).toBeGreaterThan(0);
    expect(fs.readdirSync(dir).some((f) => f.startsWith('breakers.json.unreadable-'))).toBe(true);
    expect(h.manager.reset('daily-loss', 'daily-loss').state).toBe('armed');
  });

  it('listens to the engine event bus', () => {
    const bus = new EventBus();
    const detach = h.manager.attach(bus);
    bus.emit('account', account(10_000));
    bus.emit('positions', [position({ contracts: 1, leverage: 10, liquidationPrice: 10_000 })]);
    bus.emit('ticker', ticker(BTC, 49_000, T0));
    expect(h.view('daily-loss').state).toBe('tripped');
    detach();
  });
});
