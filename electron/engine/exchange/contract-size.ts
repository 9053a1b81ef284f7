/**
 * ccxt counts derivative amounts in contracts of `contractSize` base units (OKX: 0.01 BTC,
 * 1000 DOGE); the cockpit counts in the base asset. Binance and Bybit linear perpetuals have
 * contracts of one base unit, so for them both conversions are the identity.
 * Results are cleared of binary float noise (0.0129 / 0.01 is 1.2899999999999998 in
 * doubles), so a later round-down to the contract step does not lose a whole step.
 */
const SIGNIFICANT_DIGITS = 15;

const clean = (n: number): number => (Number.isFinite(n) ? Number(n.toPrecision(SIGNIFICANT_DIGITS)) : n);

/** A ccxt market's contract size in base units; 1 when ccxt gives none. */
export function contractSizeOf(market: { contractSize?: unknown } | undefined): number {
  const size = Number(market?.contractSize);
  return Number.isFinite(size) && size > 0 ? size : 1;
}

/** An amount in contracts, as base-asset units. */
export function contractsToBase(contracts: number, contractSize: number): number {
  return contractSize === 1 ? contracts : clean(contracts * contractSize);
}

/** A base-asset amount, as contracts (not yet rounded to the contract step). */
export function baseToContracts(base: number, contractSize: number): number {
  return contractSize === 1 ? base : clean(base / contractSize);
}
