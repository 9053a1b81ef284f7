import type { SimExchange } from '../../engine/sim/types';
import type { EventHistory } from '../event-history';
import type { ListenKeys } from '../listen-keys';
import type { MarketDirectory } from '../market-directory';

/** What every group of venue routes may reach. */
export interface VenueContext {
  readonly exchange: SimExchange;
  readonly markets: MarketDirectory;
  readonly history: EventHistory;
  readonly listenKeys: ListenKeys;
  /** Wall-clock time (signatures, listen keys, /fapi/v1/time). */
  wallNow(): number;
}
