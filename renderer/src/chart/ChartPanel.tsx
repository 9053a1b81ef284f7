import type { CockpitApi } from '../../../shared/contract';
import type { BacktestTradeView, Fill, Timeframe } from '../../../shared/domain';
import { formatPrice } from '../format/numbers';
import { Legend } from '../legend/Legend';
import { useTicker, type TickerStore } from '../state/ticker-store';
import { CandleChart } from './CandleChart';
import type { TradeLine } from './trade-lines';
import type { LineDragHandlers } from './use-line-drag';

export interface DragFeedback {
  tone: 'info' | 'error';
  text: string;
}

/** The live mark and last price; re-renders on each tick without touching the chart around it. */
function MarkPrice({ tickers, symbol, tickSize }: { tickers: TickerStore; symbol: string | null; tickSize: number }) {
  const ticker = useTicker(tickers, symbol);
  return (
    <>
      <span className="mark">
        Mark{' '}
        <strong data-testid="mark-price" data-price={ticker?.mark ?? ''} className="num">
          {formatPrice(ticker?.mark ?? null, tickSize)}
        </strong>
      </span>
      <span className="muted num" title="Last traded price">
        Last {formatPrice(ticker?.last ?? null, tickSize)}
      </span>
    </>
  );
}

function LiveLegend({ tickers, symbol, ...legend }: { tickers: TickerStore; symbol: string | null; lines: readonly TradeLine[]; tickSize: number; currency: string }) {
  const ticker = useTicker(tickers, symbol);
  return <Legend {...legend} mark={ticker?.mark ?? null} />;
}

/** The chart with its pickers, the live mark price, the legend, and what the last drag did. */
export function ChartPanel(props: {
  api: CockpitApi;
  tickers: TickerStore;
  symbols: readonly string[];
  timeframes: readonly Timeframe[];
  symbol: string | null;
  timeframe: Timeframe;
  onSymbol: (symbol: string) => void;
  onTimeframe: (timeframe: Timeframe) => void;
  tickSize: number;
  currency: string;
  lines: readonly TradeLine[];
  fills: readonly Fill[];
  /** The Backtest view's latest trades, marked on the chart. */
  backtestTrades?: readonly BacktestTradeView[];
  drag: LineDragHandlers;
  feedback: DragFeedback | null;
}) {
  return (
    <section className="panel chart-panel" aria-label="Chart">
      <div className="chart-toolbar">
        <select data-testid="chart-symbol" aria-label="Chart symbol" value={props.symbol ?? ''} onChange={(e) => props.onSymbol(e.target.value)}>
          {props.symbols.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <div className="timeframes" role="group" aria-label="Timeframe">
          {props.timeframes.map((tf) => (
            <button
              key={tf}
              type="button"
              data-testid={`chart-timeframe-${tf}`}
              className={tf === props.timeframe ? 'active' : ''}
              aria-pressed={tf === props.timeframe}
              onClick={() => props.onTimeframe(tf)}
            >
              {tf}
            </button>
          ))}
        </div>
        <MarkPrice tickers={props.tickers} symbol={props.symbol} tickSize={props.tickSize} />
        {props.feedback && (
          <span data-testid="drag-message" role="status" className={`drag-message ${props.feedback.tone}`}>
            {props.feedback.text}
          </span>
        )}
      </div>
      <div className="chart-body">
        <CandleChart
          api={props.api}
          symbol={props.symbol}
          timeframe={props.timeframe}
          tickSize={props.tickSize}
          lines={props.lines}
          fills={props.fills}
          mark={() => (props.symbol ? (props.tickers.get(props.symbol)?.mark ?? null) : null)}
          backtestTrades={props.backtestTrades ?? []}
          drag={props.drag}
        />
        <LiveLegend tickers={props.tickers} symbol={props.symbol} lines={props.lines} tickSize={props.tickSize} currency={props.currency} />
      </div>
    </section>
  );
}
