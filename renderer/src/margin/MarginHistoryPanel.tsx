import { useEffect, useState } from 'react';
import type { CockpitApi } from '../../../shared/contract';
import type { MarginHistoryView, MarginHistoryWindow } from '../../../shared/margin-history';
import { formatPct } from '../format/numbers';
import { chartRuns, WINDOW_MS, type MarginWindow } from './margin-chart';

/** How often the panel asks the engine again while it is shown. */
const REFRESH_MS = 5_000;
const WIDTH = 600;
const HEIGHT = 90;

const when = (time: number | null) => (time === null ? '' : new Date(time).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }));

function Figures({ figures }: { figures: MarginHistoryWindow }) {
  return (
    <dl className="margin-figures">
      <dt>Worst margin ratio</dt>
      <dd className="num" data-testid="margin-worst-ratio" data-value={figures.worstMarginRatioPct ?? ''}>
        {formatPct(figures.worstMarginRatioPct)} <span className="muted">{when(figures.worstMarginRatioAt)}</span>
      </dd>
      <dt>Closest to liquidation</dt>
      <dd className="num" data-testid="margin-worst-distance" data-value={figures.worstDistancePct ?? ''}>
        {formatPct(figures.worstDistancePct)} {figures.worstDistanceSymbol && <span className="muted">{figures.worstDistanceSymbol} {when(figures.worstDistanceAt)}</span>}
      </dd>
      <dt>Margin calls</dt>
      <dd className="num" data-testid="margin-calls" data-warnings={figures.warnings} data-cuts={figures.cuts}>
        {figures.warnings} warning{figures.warnings === 1 ? '' : 's'}, {figures.cuts} cut{figures.cuts === 1 ? '' : 's'}
      </dd>
    </dl>
  );
}

/**
 * The margin analyzer: the account's margin ratio and the closest distance to liquidation over the
 * last 24 h or 7 d (the worst of each 5-minute bucket), the worst values reached and the margin calls.
 */
export function MarginHistoryPanel({ api, visible }: { api: CockpitApi; visible: boolean }) {
  const [view, setView] = useState<MarginHistoryView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [span, setSpan] = useState<MarginWindow>('24h');

  useEffect(() => {
    if (!visible) return;
    let live = true;
    const load = async () => {
      const result = await api.invoke('margin.history', {});
      if (!live) return;
      if (result.ok) {
        setView(result.value);
        setError(null);
      } else setError(result.error.message);
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, visible]);

  const figures = view ? (span === '24h' ? view.day : view.week) : null;
  const to = figures ? figures.from + WINDOW_MS[span] : 0;
  const buckets = view?.buckets ?? [];
  const ratioMax = Math.max(10, ...buckets.map((b) => b.worstMarginRatioPct ?? 0));
  const distanceMax = Math.max(10, ...buckets.map((b) => b.worstDistancePct ?? 0));
  const runs = (value: Parameters<typeof chartRuns>[0]['value'], max: number) => (figures ? chartRuns({ buckets, value, from: figures.from, to, max, width: WIDTH, height: HEIGHT }) : []);

  return (
    <div className="margin-history" data-testid="margin-history" data-window={span} data-buckets={buckets.length}>
      <div className="margin-toolbar" role="group" aria-label="Window">
        {(['24h', '7d'] as const).map((w) => (
          <button key={w} type="button" className={`btn-small${w === span ? ' active' : ''}`} aria-pressed={w === span} data-testid={`margin-window-${w}`} onClick={() => setSpan(w)}>
            Last {w}
          </button>
        ))}
        {error && (
          <span className="row-error" role="alert">
            {error}
          </span>
        )}
      </div>
      {figures ? (
        <div className="margin-body">
          <Figures figures={figures} />
          <svg className="margin-chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={`Margin ratio (up to ${ratioMax.toFixed(0)}%) and distance to liquidation (up to ${distanceMax.toFixed(0)}%) over the last ${span}`}>
            {runs((b) => b.worstMarginRatioPct, ratioMax).map((points, i) => (
              <polyline key={`r${i}`} className="margin-line ratio" points={points} data-testid="margin-ratio-line" />
            ))}
            {runs((b) => b.worstDistancePct, distanceMax).map((points, i) => (
              <polyline key={`d${i}`} className="margin-line distance" points={points} data-testid="margin-distance-line" />
            ))}
          </svg>
          <p className="muted margin-legend">
            <span className="swatch ratio" /> margin ratio (0–{ratioMax.toFixed(0)}%) · <span className="swatch distance" /> closest distance to liquidation (0–{distanceMax.toFixed(0)}%), worst of each {Math.round((view?.bucketMs ?? 0) / 60_000)} min
          </p>
        </div>
      ) : (
        !error && <p className="muted">Loading the margin history…</p>
      )}
    </div>
  );
}
