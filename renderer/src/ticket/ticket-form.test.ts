import { describe, expect, it } from 'vitest';
import { parseTicket, type TicketForm } from './ticket-form';

const form = (over: Partial<TicketForm> = {}): TicketForm => ({
  symbol: 'BTC/USDT:USDT',
  side: 'long',
  stop: '58800',
  takeProfit: '62400',
  entry: '',
  leverage: '',
  ...over,
});

describe('parseTicket', () => {
  it('builds a proposal request from a complete ticket, leaving out empty optional fields', () => {
    expect(parseTicket(form(), 5)).toEqual({ ok: true, input: { symbol: 'BTC/USDT:USDT', side: 'long', stop: 58_800, takeProfit: 62_400 } });
  });

  it('passes entry and leverage when given, and accepts thousands separators', () => {
    const parsed = parseTicket(form({ entry: '60,000', leverage: '3' }), 5);
    expect(parsed).toEqual({ ok: true, input: { symbol: 'BTC/USDT:USDT', side: 'long', stop: 58_800, takeProfit: 62_400, entry: 60_000, leverage: 3 } });
  });

  it('asks for the stop and the take-profit', () => {
    expect(parseTicket(form({ stop: '', takeProfit: ' ' }), 5)).toEqual({
      ok: false,
      fields: { stop: 'enter a stop price', takeProfit: 'enter a take-profit price' },
    });
  });

  it('rejects text that is not a number, and non-positive prices, at the field', () => {
    const parsed = parseTicket(form({ stop: 'abc', takeProfit: '-1' }), 5);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.fields.stop).toBe('not a number');
      expect(parsed.fields.takeProfit).toMatch(/>0|greater|too small/i);
    }
  });

  it("refuses leverage above the user's cap", () => {
    const parsed = parseTicket(form({ leverage: '10' }), 5);
    expect(parsed).toEqual({ ok: false, fields: { leverage: 'at most 5x (your risk settings)' } });
  });

  it('refuses a stop or take-profit on the wrong side of a given entry', () => {
    expect(parseTicket(form({ entry: '60000', stop: '61000', takeProfit: '59000' }), 5)).toEqual({
      ok: false,
      fields: { stop: 'a long needs its stop below the entry', takeProfit: 'a long needs its take-profit above the entry' },
    });
    expect(parseTicket(form({ side: 'short', entry: '60000', stop: '59000', takeProfit: '58000' }), 5)).toEqual({
      ok: false,
      fields: { stop: 'a short needs its stop above the entry' },
    });
  });
});
