import { describe, expect, it } from 'vitest';
import { popoverPlacement } from './popover-placement';

const viewport = { width: 1280, height: 800 };

describe('where a position row’s popover opens', () => {
  it('below its button, right-aligned with it, when it fits there', () => {
    expect(popoverPlacement({ top: 300, bottom: 320, right: 1200 }, viewport, 160)).toEqual({ top: 322, right: 80 });
  });

  it('above its button near the bottom of the window, where the positions table sits', () => {
    expect(popoverPlacement({ top: 650, bottom: 670, right: 1200 }, viewport, 160)).toEqual({ bottom: 152, right: 80 });
  });

  it('below when neither side has room but below has more', () => {
    expect(popoverPlacement({ top: 100, bottom: 120, right: 1300 }, { width: 1280, height: 240 }, 200)).toEqual({ top: 122, right: 0 });
  });
});
