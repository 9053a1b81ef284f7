import { describe, expect, it } from 'vitest';
import { planTrade } from '../../../shared/risk/trade-plan';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { aMarket, anAccount, aPosition, aProposal } from '../fixtures/domain-fixtures';
import { planWhatIf, type WhatIfContext } from './what-if';

const market = aMarket();
const context: WhatIfContext = { markets: { [market.symbol]: market }, account: anAccount(), positions: [], risk: DEFAULT_SETTINGS.risk, liquidationFormula: 'binanceusdm' };
const proposal = aProposal({ entry: 60_000, stop: 59_000, takeProfit: 63_000, leverage: 5 });

describe('planWhatIf', () => {
  it('sizes from risk: equity × risk ÷ stop distance, whatever the leverage', () => {
    const near = planWhatIf(proposal, 59_500, context);
    const far = planWhatIf(proposal, 59_000, context);
    expect(near.quantity).toBeCloseTo((10_000 * 0.01) / 500, 3);
    expect(far.quantity).toBeCloseTo((10_000 * 0.01) / 1000, 3);
    expect(near.riskAmount).toBeCloseTo(100, 0);
    expect(far.riskAmount).toBeCloseTo(100, 0);
  });

  it('keeps margin as notional ÷ leverage and gives a liquidation below a long entry', () => {
    const plan = planWhatIf(proposal, 59_000, context);
    expect(plan.margin).toBeCloseTo(plan.notional / 5, 6);
    expect(plan.liquidationPrice).not.toBeNull();
    expect(plan.liquidationPrice!).toBeLessThan(59_000);
    expect(plan.problem).toBeNull();
  });

  it('rounds the dragged stop to the tick and says why a stop on the wrong side would be refused', () => {
    expect(planWhatIf(proposal, 59_123.456, context).stop).toBe(59_123.5);
    const wrong = planWhatIf(proposal, 60_500, context);
    expect(wrong.problem).toMatch(/stop-loss/i);
  });

  it('in cross margin, counts the other open positions: a large loss elsewhere gives a long a liquidation price', () => {
    const eth = aMarket({ symbol: 'ETH/USDT:USDT', id: 'ETHUSDT', base: 'ETH' });
    const cross = { ...context, markets: { ...context.markets, [eth.symbol]: eth }, risk: { ...DEFAULT_SETTINGS.risk, marginMode: 'cross' as const } };
    const alone = planWhatIf(proposal, 59_000, cross);
    const losingEth = aPosition({ symbol: eth.symbol, side: 'long', contracts: 10, entryPrice: 3_000, markPrice: 2_100, notional: 21_000, marginMode: 'cross', isolatedWallet: 0 });
    const withLoser = planWhatIf(proposal, 59_000, { ...cross, positions: [losingEth] });
    expect(withLoser.quantity).toBe(alone.quantity);
    expect(alone.liquidationPrice).toBeNull();
    expect(withLoser.liquidationPrice).toBeGreaterThan(40_000);
    expect(withLoser.liquidationPrice).toBeLessThan(59_000);
  });

  it('in cross margin, an isolated position’s wallet is not the cross wallet’s, and its loss is not the cross book’s', () => {
    const eth = aMarket({ symbol: 'ETH/USDT:USDT', id: 'ETHUSDT', base: 'ETH' });
    const cross = { ...context, markets: { ...context.markets, [eth.symbol]: eth }, risk: { ...DEFAULT_SETTINGS.risk, marginMode: 'cross' as const } };
    const isolatedEth = aPosition({ symbol: eth.symbol, contracts: 10, entryPrice: 3_000, markPrice: 2_900, notional: 29_000, marginMode: 'isolated', isolatedWallet: 7_000 });
    const plan = planWhatIf(proposal, 59_000, { ...cross, positions: [isolatedEth] });
    const crossWalletOnly = planTrade({
      side: 'long',
      entry: proposal.entry,
      stop: 59_000,
      takeProfit: proposal.takeProfit,
      leverage: proposal.leverage,
      market,
      account: { equity: 10_000, freeMargin: 10_000, totalNotional: 29_000, walletBalance: 3_000, openPositions: [] },
      risk: cross.risk,
      marginMode: 'cross',
      exchange: 'binanceusdm',
    });
    expect(plan.liquidationPrice).not.toBeNull();
    expect(plan.liquidationPrice).toBe(crossWalletOnly.liquidationPrice);
  });

  it('says so, rather than guessing, when a market it needs is unknown', () => {
    const stranger = aPosition({ symbol: 'DOGE/USDT:USDT' });
    expect(planWhatIf(proposal, 59_000, { ...context, positions: [stranger] }).problem).toMatch(/No market data for DOGE\/USDT:USDT/);
  });

  it('uses the liquidation formula the engine uses for the exchange, as the snapshot says', () => {
    const binance = planWhatIf(proposal, 59_000, context);
    const bybit = planWhatIf(proposal, 59_000, { ...context, liquidationFormula: 'bybit' });
    const expected = planTrade({
      side: 'long',
      entry: proposal.entry,
      stop: 59_000,
      takeProfit: proposal.takeProfit,
      leverage: proposal.leverage,
      market,
      account: { equity: 10_000, freeMargin: context.account.freeMargin, totalNotional: 0, walletBalance: context.account.walletBalance, openPositions: [] },
      risk: DEFAULT_SETTINGS.risk,
      marginMode: DEFAULT_SETTINGS.risk.marginMode,
      exchange: 'bybit',
    });
    expect(bybit.liquidationPrice).toBe(expected.liquidationPrice);
    expect(bybit.liquidationPrice).not.toBe(binance.liquidationPrice);
  });
});
