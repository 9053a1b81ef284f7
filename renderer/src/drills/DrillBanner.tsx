import { useState } from 'react';
import type { CockpitApi } from '../../../shared/contract';
import type { DrillReport, DrillState } from '../../../shared/drills';
import { formatDrillDelay } from './drill-format';

/** Shows while a drill runs or holds its final prices, with Stop drill; then the drill's report until dismissed. */
export function DrillBanner({ api, drill }: { api: CockpitApi; drill: DrillState | null }) {
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!drill) return null;
  const stop = async () => {
    const result = await api.invoke('drill.stop', {});
    setError(result.ok ? null : result.error.message);
  };
  const active = drill.status !== 'idle';
  const report = drill.report && drill.report.endedAt !== dismissed ? drill.report : null;
  return (
    <>
      {active && (
        <div className="banner warn drill-banner" data-testid="drill-banner" role="status">
          DRILL {drill.status === 'running' ? 'RUNNING' : 'OVER'}: {drill.scenario?.name}.{' '}
          {drill.status === 'running' ? 'Prices follow the scenario, not the market.' : 'Prices hold at the scenario’s end.'}{' '}
          <button type="button" className="btn btn-small" data-testid="drill-stop" onClick={() => void stop()}>
            Stop drill
          </button>
          {error && <span className="neg"> {error}</span>}
        </div>
      )}
      {report && <DrillReportView report={report} onDismiss={() => setDismissed(report.endedAt)} />}
    </>
  );
}

function DrillReportView({ report, onDismiss }: { report: DrillReport; onDismiss: () => void }) {
  const money = (n: number | null) => (n === null ? '—' : n.toFixed(2));
  return (
    <section className="panel drill-report" data-testid="drill-report" data-liquidations={report.liquidationsSuffered} data-avoided={report.liquidationsAvoided}>
      <header className="drill-report-head">
        <strong>
          Drill report: {report.scenario} ({report.outcome})
        </strong>
        <span>
          Equity {money(report.equityBefore)} → {money(report.equityAfter)} · liquidations suffered {report.liquidationsSuffered}, avoided {report.liquidationsAvoided}
        </span>
        <button type="button" className="btn btn-small" data-testid="drill-report-close" onClick={onDismiss}>
          Close
        </button>
      </header>
      <ol className="drill-events">
        {report.events.map((event, i) => (
          <li key={i} data-testid="drill-event" data-kind={event.kind} className={`drill-event drill-kind-${event.kind}`}>
            <span className="muted">+{((event.time - report.startedAt) / 1000).toFixed(1)} s</span> {event.text}
            {event.delayMs !== null && <span data-testid="drill-event-delay"> (reacted {formatDrillDelay(event.delayMs)} after the mark)</span>}
          </li>
        ))}
        {report.events.length === 0 && <li className="muted">Nothing happened: no breaker tripped, no order was sent.</li>}
      </ol>
    </section>
  );
}
