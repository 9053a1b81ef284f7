import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CockpitApi } from '../../shared/contract';
import { TIMEFRAMES, type Proposal, type Timeframe } from '../../shared/domain';
import { AccountPanel } from './account/AccountPanel';
import { BreakersPanel } from './breakers/BreakersPanel';
import { approvalBlock } from './breakers/entry-block';
import { BacktestPanel } from './backtest/BacktestPanel';
import { ChartPanel } from './chart/ChartPanel';
import { buildTradeLines } from './chart/trade-lines';
import { DrillBanner } from './drills/DrillBanner';
import { DrillMenu } from './drills/DrillMenu';
import { ConnectionStatus } from './header/ConnectionStatus';
import { ModeBadge } from './header/ModeBadge';
import { StrategiesHalted } from './header/StrategiesHalted';
import { DataDiskWarning } from './header/DataDiskWarning';
import { isTypingTarget } from './hooks/is-typing';
import { JournalPanel } from './journal/JournalPanel';
import { Toasts } from './notifications/Toasts';
import { FlattenResult } from './panic/FlattenResult';
import { PanicButton } from './panic/PanicButton';
import { usePanic } from './panic/use-panic';
import { OrdersTable } from './positions/OrdersTable';
import { PositionsTable } from './positions/PositionsTable';
import { MarginHistoryPanel } from './margin/MarginHistoryPanel';
import { ProposalsPanel } from './proposals/ProposalsPanel';
import type { WhatIfContext } from './proposals/what-if';
import { SettingsView } from './settings/SettingsView';
import { useCockpit } from './state/use-cockpit';
import { TradeTicket } from './ticket/TradeTicket';
import { useLineMoves } from './trading/use-line-moves';
import './styles/cockpit.css';

type BottomTab = 'positions' | 'orders' | 'margin' | 'journal' | 'backtest';
const DEFAULT_TICK = 0.01;

/** The cockpit. Talks only to `api`: `window.cockpit` in Electron, or its WebSocket twin. */
export function App({ api }: { api: CockpitApi }) {
  const { state, tickers, dispatch } = useCockpit(api);
  const panic = usePanic(api, state.lastFlatten);
  const [chartSymbol, setChartSymbol] = useState<string | null>(null);
  const [timeframe, setTimeframe] = useState<Timeframe>('1m');
  const [selectedProposalId, setSelectedProposalId] = useState<string | null>(null);
  const [tab, setTab] = useState<BottomTab>('positions');
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [dismissedFlatten, setDismissedFlatten] = useState<string | null>(null);

  const symbol = chartSymbol ?? state.symbols[0] ?? null;
  const market = symbol ? state.markets[symbol] : undefined;
  const tickSize = market?.tickSize ?? DEFAULT_TICK;
  const selectedProposal = state.proposals.find((p) => p.id === selectedProposalId && p.status === 'pending') ?? null;
  const openPositions = state.positions.filter((p) => p.contracts > 0);
  const openOrders = state.orders.filter((o) => o.status === 'open' || o.status === 'partially_filled');
  const flat = state.loaded ? openPositions.length === 0 && openOrders.length === 0 : null;
  const block = approvalBlock(state.breakers);

  const selectProposal = useCallback(
    (id: string | null) => {
      setSelectedProposalId(id);
      const proposal = state.proposals.find((p) => p.id === id);
      if (proposal) setChartSymbol(proposal.symbol);
    },
    [state.proposals],
  );
  const onProposed = useCallback((proposal: Proposal) => {
    setSelectedProposalId(proposal.id);
    setChartSymbol(proposal.symbol);
  }, []);

  const whatIfContext = useCallback(
    (proposal: Proposal): WhatIfContext | null => {
      if (!state.markets[proposal.symbol] || !state.account || !state.settings) return null;
      return { markets: state.markets, account: state.account, positions: state.positions, risk: state.settings.risk, liquidationFormula: state.liquidationFormula };
    },
    [state.markets, state.account, state.settings, state.positions, state.liquidationFormula],
  );
  const moves = useLineMoves(api, state.proposals, whatIfContext, tickSize, onProposed);

  const lines = useMemo(() => {
    if (!symbol) return [];
    const override = selectedProposal && moves.whatIf?.proposalId === selectedProposal.id ? moves.whatIf : null;
    const preview = selectedProposal ? { proposal: selectedProposal, override } : null;
    return buildTradeLines({ symbol, positions: state.positions, orders: state.orders, preview });
  }, [symbol, state.positions, state.orders, selectedProposal, moves.whatIf]);
  const fills = useMemo(() => state.fills.filter((f) => f.symbol === symbol), [state.fills, symbol]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && settingsOpen) setSettingsOpen(false);
      else if (event.key === ',' && (event.ctrlKey || event.metaKey) && !isTypingTarget(event.target)) {
        event.preventDefault();
        setSettingsOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [settingsOpen]);

  const dismiss = useCallback((id: string) => dispatch({ type: 'dismiss', id }), [dispatch]);
  const showFlatten = panic.running || panic.error !== null || (panic.report !== null && panic.report.id !== dismissedFlatten);

  return (
    <div className="cockpit">
      <div className="cockpit-top">
        <header className="cockpit-header">
          <ModeBadge mode={state.mode} exchange={state.exchange} />
          <span className="brand">Leverage Cockpit</span>
          <ConnectionStatus link={state.link} exchange={state.connection} />
          {block && (
            <span className="header-alert" title={block}>
              ⚠ entries blocked
            </span>
          )}
          <StrategiesHalted api={api} strategies={state.strategies} />
          <DataDiskWarning status={state.dataDisk} />
          <span className="spacer" />
          {state.mode === 'paper' && <DrillMenu api={api} running={state.drill?.status === 'running'} />}
          <button type="button" className="btn" data-testid="settings-open" onClick={() => setSettingsOpen(true)} title="Settings (Ctrl+,)">
            Settings
          </button>
          <PanicButton onPanic={panic.panic} running={panic.running} />
        </header>

        <DrillBanner api={api} drill={state.drill} />
        {showFlatten && <FlattenResult report={panic.report} running={panic.running} error={panic.error} onDismiss={() => setDismissedFlatten(panic.report?.id ?? null)} />}
        {state.link === 'disconnected' && (
          <div className="banner danger" data-testid="link-lost" role="alert">
            Lost the link to the engine: what you see may be stale. Reconnecting… (the panic button still tries)
          </div>
        )}
        {!state.loaded && state.snapshotError && (
          <div className="banner warn" data-testid="engine-not-ready" role="status">
            Engine not ready: {state.snapshotError} (retrying)
          </div>
        )}
      </div>

      <div className="cockpit-body">
        <div className="cockpit-scroll">
          <main className="cockpit-main">
            <div className="column-main">
              <ChartPanel
                api={api}
                tickers={tickers}
                symbols={state.symbols}
                timeframes={state.timeframes.length ? state.timeframes : TIMEFRAMES}
                symbol={symbol}
                timeframe={timeframe}
                onSymbol={setChartSymbol}
                onTimeframe={setTimeframe}
                tickSize={tickSize}
                currency={state.account?.currency ?? 'USDT'}
                lines={lines}
                fills={fills}
                backtestTrades={state.backtest?.report?.trades ?? []}
                drag={moves.handlers}
                feedback={moves.feedback}
              />
              <section className="panel bottom-panel">
                <div className="tabs" role="tablist">
                  {(['positions', 'orders', 'margin', 'journal', 'backtest'] as const).map((t) => (
                    <button
                      key={t}
                      type="button"
                      role="tab"
                      data-testid={t === 'backtest' ? 'backtest-tab' : `tab-${t}`}
                      aria-selected={tab === t}
                      className={tab === t ? 'active' : ''}
                      onClick={() => setTab(t)}
                    >
                      {t === 'positions'
                        ? `Positions (${openPositions.length})`
                        : t === 'orders'
                          ? `Orders (${openOrders.length})`
                          : t === 'margin'
                            ? 'Margin history'
                            : t === 'journal'
                              ? 'Journal'
                              : 'Backtest'}
                    </button>
                  ))}
                </div>
                <div className="tab-body">
                  <div hidden={tab !== 'positions'}>
                    <PositionsTable
                      api={api}
                      positions={state.positions}
                      orders={state.orders}
                      markets={state.markets}
                      liquidationWarnPct={state.settings?.breakers.liquidationDistancePct ?? 5}
                      liquidationFormula={state.liquidationFormula}
                      onSelectSymbol={setChartSymbol}
                      tickers={tickers}
                      funding={state.funding}
                    />
                  </div>
                  <div hidden={tab !== 'orders'}>
                    <OrdersTable orders={state.orders} markets={state.markets} />
                  </div>
                  <div hidden={tab !== 'margin'}>
                    <MarginHistoryPanel api={api} visible={tab === 'margin'} />
                  </div>
                  <div hidden={tab !== 'journal'} className="tab-fill">
                    <JournalPanel api={api} entries={state.journal} />
                  </div>
                  <div hidden={tab !== 'backtest'} className="tab-fill">
                    <BacktestPanel api={api} settings={state.settings} files={state.strategyFiles} symbols={state.symbols} timeframes={state.timeframes.length ? state.timeframes : TIMEFRAMES} job={state.backtest} />
                  </div>
                </div>
              </section>
            </div>
            <div className="column-side">
              <AccountPanel account={state.account} flat={flat} fundingToday={state.funding?.today ?? null} />
              <TradeTicket
                api={api}
                symbols={state.symbols}
                defaultSymbol={symbol}
                risk={state.settings?.risk ?? null}
                equity={state.account?.equity ?? null}
                sizing={state.sizing}
                onProposed={onProposed}
              />
              <ProposalsPanel
                api={api}
                proposals={state.proposals}
                markets={state.markets}
                selectedId={selectedProposalId}
                onSelect={selectProposal}
                block={block}
                whatIf={moves.whatIf}
              />
              <BreakersPanel api={api} breakers={state.breakers} />
            </div>
          </main>
        </div>
        {settingsOpen && (
          <SettingsView
            api={api}
            settings={state.settings}
            credentials={state.credentials}
            strategies={state.strategies}
            strategyFiles={state.strategyFiles}
            onCredentials={(status) => dispatch({ type: 'credentials', status })}
            onClose={() => setSettingsOpen(false)}
          />
        )}
      </div>

      <Toasts notifications={state.notifications} onDismiss={dismiss} />
    </div>
  );
}
