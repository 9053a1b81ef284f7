import { describe, expect, it } from 'vitest';
import { closingSide, openingSide } from './order-sides';

describe('order sides', () => {
  it('opens a long with a buy and closes it with a sell', () => {
    expect(openingSide('long')).toBe('buy');
    expect(closingSide('long')).toBe('sell');
  });

  it('opens a short with a sell and closes it with a buy', () => {
    expect(openingSide('short')).toBe('sell');
    expect(closingSide('short')).toBe('buy');
  });
});
