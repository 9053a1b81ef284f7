import type { CommandHandlers } from '../../../shared/contract';
import type { MarginTier } from '../../../shared/risk/liquidation';
import { toMarginTiers } from '../../../shared/risk/tiers';
import { BreakerStateFile } from '../breakers/breaker-state-file';
import { BreakerManager, strategyHaltReason } from '../breakers/manager';
import type { EngineContext } from '../engine-context';
import { CommandError } from '../errors';
import { Flattener } from '../flatten';
import { errorMessage } from '../../../shared/error-message';
import { recordOrCarryOn } from '../journal';

/**
 * The safety domain: the circuit breakers and the emergency flatten. Breakers
 * watch the engine's events (every mark price, position, account and fill
 * update), add their objections to every entry through the entry gates, and
 * act through the trading controls; the flatten needs nothing but the exchange.
 */
export function safetyHandlers(ctx: EngineContext): Pick<CommandHandlers, 'flatten' | 'breaker.reset' | 'strategies.resume'> {
  const flattener = new Flattener({
    adapter: ctx.adapter,
    journal: ctx.journal,
    lock: ctx.lock,
    now: () => ctx.now(),
    report: (report) => ctx.bus.emit('flatten', report),
    lastReported: () => ({ positions: ctx.account.exchangePositions(), orders: ctx.account.openOrders() }),
    halt: (reason) => {
      const steps = [() => ctx.trading.haltStrategies(`Flatten: ${reason}`), () => ctx.trading.rejectAllProposals(`Flatten: ${reason}`)];
      const failures = steps.flatMap((step) => {
        try {
          step();
          return [];
        } catch (error) {
          return [error];
        }
      });
      if (failures.length) throw failures[0];
    },
  });

  const flatten = async (reason: string) => {
    const report = await flattener.flatten(reason);
    switchAutoModeOff(ctx, report.id);
    ctx.notify(
      report.flat ? 'info' : 'critical',
      report.flat ? 'Flattened' : 'Flatten incomplete',
      report.flat ? `Every position is closed and every order cancelled (${report.attempts} round${report.attempts === 1 ? '' : 's'}).` : report.remaining.join('\n'),
    );
    ctx.trading.reconcile('after flatten').catch(() => undefined);
    return report;
  };

  const tiers = new Map<string, readonly MarginTier[] | null>();
  const breakers = new BreakerManager({
    journal: ctx.journal,
    stateFile: BreakerStateFile.forAccount(ctx.dataDir, ctx.adapter, ctx.dataDisk.watch('the breaker state')),
    settings: () => ctx.settings(),
    now: () => ctx.now(),
    output: {
      breakers: (views) => ctx.bus.emit('breakers', views),
      notification: (n) => ctx.notify(n.level, n.title, n.message),
    },
    actions: {
      flatten: (reason) => flatten(reason),
      reduce: (symbol, fraction, reason) => (ctx.lock.flattening ? Promise.resolve(0) : ctx.trading.reducePosition(symbol, fraction, reason)),
      close: (symbol, reason) => (ctx.lock.flattening ? Promise.resolve(0) : ctx.trading.closePosition(symbol, reason)),
      haltStrategies: (reason) => ctx.trading.haltStrategies(reason),
      releaseStrategies: (reason) => ctx.trading.releaseStrategies(reason),
    },
    market: (symbol) => ctx.adapter.market(symbol),
    transfers: (since) => ctx.adapter.fetchTransfers(since),
    tiers: (symbol) => {
      if (!tiers.has(symbol)) {
        try {
          const marketTiers = ctx.adapter.market(symbol).tiers;
          tiers.set(symbol, marketTiers.length ? toMarginTiers(marketTiers) : null);
        } catch {
          return null;
        }
      }
      return tiers.get(symbol) ?? null;
    },
  });
  ctx.entryGates.add((entry) => breakers.entryViolations(entry));
  ctx.drawdown.provide(() => breakers.drawdownPct());
  breakers.attach(ctx.bus);
  breakers.evaluate();
  haltForRestoredTrips(ctx, breakers);

  return {
    flatten: ({ reason }) => flatten(reason?.trim() || 'Flatten requested by the user'),
    'breaker.reset': async ({ id, confirmation }) => breakers.reset(id, confirmation),
    'strategies.resume': async () => {
      if (ctx.lock.flattening) throw new CommandError('refused', 'A flatten is running: the strategies can resume once it has finished.');
      const stopping = breakers.views().filter((b) => b.state === 'tripped' && b.action === 'flatten');
      if (stopping.length) {
        throw new CommandError('refused', `${stopping.map((b) => b.label).join(', ')} is tripped and stops the strategies: reset it first.`);
      }
      ctx.journal.record('strategies.resume', {});
      return ctx.trading.resumeStrategies();
    },
  };
}

/**
 * After a flatten, auto mode stays off until the user turns it on again: it is
 * switched off in the settings, so it is off in every strategy's status and
 * after a restart too (the strategy loop's halt lasts only as long as the
 * process). Done once the flatten is over, so the strategies' rebuild does not
 * compete with its requests.
 */
function switchAutoModeOff(ctx: EngineContext, flattenId: string): void {
  const settings = ctx.settings();
  const auto = settings.strategies.filter((s) => s.auto).map((s) => s.id);
  if (!auto.length) return;
  recordOrCarryOn(ctx.journal, 'flatten.auto-off', { id: flattenId, strategies: auto });
  try {
    ctx.updateSettings({ ...settings, strategies: settings.strategies.map((s) => ({ ...s, auto: false })) });
  } catch (error) {
    recordOrCarryOn(ctx.journal, 'flatten.auto-off.failed', { id: flattenId, error: errorMessage(error) });
  }
}

/**
 * A breaker that stops the strategies (the drawdown limit and the volatility flatten, and the loss limits
 * unless set otherwise) and was still tripped when the engine stopped stops them again: they stay halted
 * after a restart, and the user is told so. Anything a flattening trip left open is flattened again by the
 * breaker manager once the exchange's positions are known.
 */
function haltForRestoredTrips(ctx: EngineContext, breakers: BreakerManager): void {
  for (const view of breakers.strategyHalts()) {
    ctx.trading.haltStrategies(strategyHaltReason(view.label));
    const flattens = view.action === 'flatten';
    ctx.notify(
      'critical',
      `${view.label} is still tripped`,
      `It tripped before the restart (${view.reason ?? 'no reason recorded'}). The strategies stay halted and entries blocked${flattens ? ', and any position still open is flattened again' : ''}.`,
    );
  }
}
