import type { MarketInfo } from '../domain';

/** Test fixture only: a BTCUSDT-like market, with Binance-style brackets. */
export const BTC_MARKET: MarketInfo = {
  symbol: 'BTC/USDT:USDT',
  id: 'BTCUSDT',
  base: 'BTC',
  quote: 'USDT',
  settle: 'USDT',
  tickSize: 0.1,
  amountStep: 0.001,
  minAmount: 0.001,
  maxAmount: 1_000,
  maxMarketAmount: 120,
  minNotional: 100,
  takerFee: 0.0005,
  makerFee: 0.0002,
  maxLeverage: 125,
  tiers: [
    { minNotional: 0, maxNotional: 50_000, maintenanceMarginRate: 0.004, maintenanceAmount: 0, maxLeverage: 125 },
    { minNotional: 50_000, maxNotional: 250_000, maintenanceMarginRate: 0.005, maintenanceAmount: 50, maxLeverage: 100 },
    { minNotional: 250_000, maxNotional: 1_000_000, maintenanceMarginRate: 0.01, maintenanceAmount: 1_300, maxLeverage: 50 },
    { minNotional: 1_000_000, maxNotional: 10_000_000, maintenanceMarginRate: 0.025, maintenanceAmount: 16_300, maxLeverage: 20 },
    { minNotional: 10_000_000, maxNotional: 20_000_000, maintenanceMarginRate: 0.05, maintenanceAmount: 266_300, maxLeverage: 10 },
  ],
};
