import type { SimSide, SlippageModel } from './types';

export const DEFAULT_SLIPPAGE: SlippageModel = { halfSpread: 0.0001, impact: 0.002, cap: 0.05 };

/**
 * The price a market order of `quantity` fills at: the last price moved against the taker by a half
 * spread plus an impact that grows with the square root of size over recent volume per minute.
 * With no recent volume at all, the impact is the cap.
 */
export function marketFillPrice(input: {
  side: SimSide;
  last: number;
  quantity: number;
  volumePerMinute: number;
  model: SlippageModel;
}): number {
  const { side, last, quantity, volumePerMinute, model } = input;
  const impact = model.impact === 0 ? 0 : volumePerMinute > 0 ? model.impact * Math.sqrt(quantity / volumePerMinute) : model.cap;
  const slip = Math.min(model.halfSpread + impact, model.cap);
  return side === 'BUY' ? last * (1 + slip) : last * (1 - slip);
}

export function validateSlippageModel(model: SlippageModel): void {
  const ok = (n: number) => Number.isFinite(n) && n >= 0;
  if (!ok(model.halfSpread) || !ok(model.impact) || !ok(model.cap) || model.cap >= 1) {
    throw new Error(`Slippage model needs halfSpread, impact >= 0 and cap in [0, 1), got ${JSON.stringify(model)}`);
  }
}
