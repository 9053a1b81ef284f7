import type { MarketInfo } from '../../shared/domain';
import { binanceErrors } from './binance-error';
import { marketNumbers, type MarketNumbers } from './number-format';

export interface VenueMarket {
  readonly info: MarketInfo;
  /** Binance's id, e.g. `BTCUSDT`. */
  readonly id: string;
  /** The name the simulation core knows the market by (the unified symbol). */
  readonly coreSymbol: string;
  readonly numbers: MarketNumbers;
}

/** The venue's markets, found by Binance id (what the wire carries) or by the core's symbol. */
export class MarketDirectory {
  private readonly byId = new Map<string, VenueMarket>();
  private readonly byCoreSymbol = new Map<string, VenueMarket>();

  constructor(markets: readonly MarketInfo[]) {
    for (const info of markets) {
      const market: VenueMarket = { info, id: info.id, coreSymbol: info.symbol, numbers: marketNumbers(info) };
      this.byId.set(info.id, market);
      this.byCoreSymbol.set(info.symbol, market);
    }
  }

  all(): VenueMarket[] {
    return [...this.byId.values()];
  }

  /** The market of a wire symbol (`BTCUSDT`, any case); -1121 Invalid symbol otherwise. */
  byWireId(id: string): VenueMarket {
    const market = this.byId.get(id.toUpperCase());
    if (!market) throw binanceErrors.invalidSymbol();
    return market;
  }

  /** The market of a symbol the core reports; the core only reports its own markets. */
  ofCore(symbol: string): VenueMarket {
    const market = this.byCoreSymbol.get(symbol) ?? this.byId.get(symbol);
    if (!market) throw new Error(`The simulation core reported an unknown market: ${symbol}`);
    return market;
  }
}
