import { useState } from 'react';
import type { CommandInput } from '../../../shared/contract';
import type { StrategyFileView, StrategyStatus } from '../../../shared/domain';
import type { StrategyFileSettings } from '../../../shared/settings';

type Change = Omit<CommandInput<'strategy.set'>, 'id'>;

/** One strategy file: what it declares or why it did not load, on which symbols it runs, and its parameters within their bounds. */
export function StrategyFileRow({
  view,
  config,
  status,
  symbols,
  onSet,
}: {
  view: StrategyFileView;
  config: StrategyFileSettings | undefined;
  status: StrategyStatus | undefined;
  symbols: readonly string[];
  onSet: (change: Change) => Promise<boolean>;
}) {
  const [params, setParams] = useState<Record<string, string>>({});
  const chosen = config?.symbols ?? [];
  const value = (name: string, fallback: number) => params[name] ?? String(config?.params[name] ?? fallback);
  const toggleSymbol = (symbol: string, on: boolean) => void onSet({ symbols: on ? [...chosen, symbol] : chosen.filter((s) => s !== symbol) });
  const apply = async () => {
    const values = Object.fromEntries(view.params.map((p) => [p.name, Number(value(p.name, p.default))]));
    if (await onSet({ params: values })) setParams({});
  };
  const error = status?.lastError ?? view.error;
  return (
    <div className="strategy-file" data-testid="strategy-file" data-id={view.id} data-loaded={view.label !== null}>
      <div className="strategy-file-head">
        <strong>{view.label ?? view.file}</strong> <span className="muted">{view.file}{view.timeframe ? ` · ${view.timeframe}` : ''}</span>
        {view.label !== null && (
          <>
            <label className="check">
              <input type="checkbox" data-testid="strategy-file-enabled" checked={config?.enabled ?? false} onChange={(e) => void onSet({ enabled: e.target.checked })} /> enabled
            </label>
            <label className="check" title="Execute proposals without waiting for approval">
              <input type="checkbox" checked={config?.auto ?? false} onChange={(e) => void onSet({ auto: e.target.checked })} /> auto
            </label>
            <span className={status?.running ? 'pos' : 'muted'}>{status?.running ? 'running' : 'idle'}</span>
          </>
        )}
      </div>
      {error && (
        <div className="neg" data-testid="strategy-file-error">
          {error}
        </div>
      )}
      {view.label !== null && (
        <div className="strategy-file-symbols">
          <span className="muted">Symbols ({chosen.length === 0 ? 'all watched' : 'only those ticked'}):</span>
          {symbols.map((symbol) => (
            <label key={symbol} className="check">
              <input type="checkbox" data-testid="strategy-file-symbol" data-symbol={symbol} checked={chosen.includes(symbol)} onChange={(e) => toggleSymbol(symbol, e.target.checked)} />{' '}
              {symbol.split('/')[0]}
            </label>
          ))}
        </div>
      )}
      {view.params.length > 0 && view.label !== null && (
        <div className="strategy-file-params">
          {view.params.map((p) => (
            <label key={p.name} className="field">
              {p.name}
              <input
                type="number"
                data-testid="strategy-param"
                data-name={p.name}
                min={p.min}
                max={p.max}
                step={p.integer ? 1 : 'any'}
                value={value(p.name, p.default)}
                onChange={(e) => setParams({ ...params, [p.name]: e.target.value })}
              />
              <span className="muted">
                {p.min}–{p.max}
              </span>
            </label>
          ))}
          <button type="button" className="btn-small" data-testid="strategy-params-apply" onClick={() => void apply()}>
            Apply parameters
          </button>
        </div>
      )}
    </div>
  );
}
