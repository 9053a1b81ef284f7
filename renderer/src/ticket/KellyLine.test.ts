import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { SizingSuggestion } from '../../../shared/domain';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { KellyLine } from './KellyLine';
import { TradeTicket } from './TradeTicket';

const render = (sizing: SizingSuggestion | null, equity: number | null = 10_000) => renderToStaticMarkup(createElement(KellyLine, { sizing, equity }));
const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&#x27;/g, "'");

const waiting: SizingSuggestion = { trades: 7, minTrades: 20, riskCap: 0.01, kelly: null };
const offered: SizingSuggestion = {
  trades: 40,
  minTrades: 20,
  riskCap: 0.01,
  kelly: { winRate: 0.55, averageWin: 120, averageLoss: 100, full: 0.01, half: 0.01, quarter: 0.0046 },
};

describe('the Kelly line in the trade ticket', () => {
  it('says there are not enough trades yet, and how many it needs', () => {
    const html = render(waiting);
    expect(html).toContain('data-testid="ticket-kelly"');
    expect(html).toContain('data-state="waiting"');
    expect(text(html)).toBe('Kelly: not enough trades yet (7 of 20 closed)');
  });

  it('offers full, ½ and ¼ Kelly as the engine capped them, with the money each risks', () => {
    const html = render(offered);
    expect(html).toContain('data-state="offered"');
    expect(html).toContain('data-full="0.01"');
    expect(html).toContain('data-quarter="0.0046"');
    expect(text(html)).toBe('Kelly (40 trades, 55.00% won): full 1.00% (100.00) · ½ 1.00% (100.00) · ¼ 0.46% (46.00)');
    expect(html).toContain('never above your risk per trade (1.00%)');
  });

  it('says so when the record shows no edge', () => {
    const html = render({ ...offered, kelly: { ...offered.kelly!, winRate: 0.3, full: 0, half: 0, quarter: 0 } });
    expect(html).toContain('data-state="no-edge"');
    expect(text(html)).toBe('Kelly: no edge in the last 40 trades, 30.00% won: it suggests risking nothing');
  });

  it('shows nothing before the snapshot has arrived', () => {
    expect(render(null)).toBe('');
  });
});

describe('the trade ticket', () => {
  it('shows the Kelly suggestion right under its risk line', () => {
    const html = renderToStaticMarkup(
      createElement(TradeTicket, {
        api: { invoke: () => Promise.reject(new Error('unused')), on: () => () => undefined },
        symbols: ['BTC/USDT:USDT'],
        defaultSymbol: 'BTC/USDT:USDT',
        risk: DEFAULT_SETTINGS.risk,
        equity: 10_000,
        sizing: offered,
        onProposed: () => undefined,
      }),
    );
    const risk = html.indexOf('data-testid="ticket-risk"');
    const kelly = html.indexOf('data-testid="ticket-kelly"');
    expect(risk).toBeGreaterThan(-1);
    expect(kelly).toBeGreaterThan(risk);
    expect(html.slice(risk, kelly)).not.toContain('ticket-propose');
  });
});
