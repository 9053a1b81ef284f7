import type { OrderSide, Side } from '../../../shared/domain';

/** The order side that opens or adds to a position on `side`: buy for a long, sell for a short. */
export const openingSide = (side: Side): OrderSide => (side === 'long' ? 'buy' : 'sell');

/** The order side that reduces or closes a position on `side`: sell for a long, buy for a short. */
export const closingSide = (side: Side): OrderSide => (side === 'long' ? 'sell' : 'buy');
