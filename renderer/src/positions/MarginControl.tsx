import { useState } from 'react';
import type { CockpitApi } from '../../../shared/contract';
import type { LiquidationFormula, MarketInfo, Position } from '../../../shared/domain';
import { formatMoney, formatPct, formatPrice } from '../format/numbers';
import { marginFormPreview, type MarginDirection } from './margin-form';
import { useRowPopover } from './use-row-popover';

/** About how tall the popover is, to choose whether it opens below or above its button. */
const POPOVER_HEIGHT = 170;

/**
 * Adds or removes an isolated position's margin: the liquidation price and its distance after the
 * change are previewed before confirming, and the exchange's new figures shown after. A cross
 * position gets the reason it cannot.
 */
export function MarginControl({ api, position, market, formula }: { api: CockpitApi; position: Position; market: MarketInfo | undefined; formula: LiquidationFormula }) {
  const { open, style, button, popover, toggle } = useRowPopover<HTMLDivElement>(POPOVER_HEIGHT);
  const [direction, setDirection] = useState<MarginDirection>('add');
  const [amountText, setAmountText] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const tick = market?.tickSize ?? 0.01;
  const preview = marginFormPreview({ position, market, formula, direction, amountText });

  const confirm = async () => {
    if (!preview.ok || preview.amount === undefined) return;
    setBusy(true);
    const result = await api.invoke('position.margin', { symbol: position.symbol, direction, amount: preview.amount });
    setBusy(false);
    if (!result.ok) return setOutcome({ ok: false, text: result.error.message });
    const after = result.value.position;
    setAmountText('');
    setOutcome({
      ok: true,
      text: `${direction === 'add' ? 'Added' : 'Removed'} ${formatMoney(result.value.moved)} USDT. The exchange now shows liquidation at ${formatPrice(after.liquidationPrice, tick)} (${formatPct(after.distanceToLiquidationPct)} away), margin ${formatMoney(after.isolatedWallet)} USDT.`,
    });
  };

  return (
    <span className="row-menu" onClick={(e) => e.stopPropagation()}>
      <button type="button" data-testid="position-margin" className="btn-small" aria-expanded={open} ref={button} onClick={toggle}>
        Margin ▾
      </button>
      {open && (
        <div ref={popover} className="row-popover margin-form" style={style} data-testid="margin-form">
          {position.marginMode !== 'isolated' ? (
            <p className="row-error" role="alert" data-testid="margin-refused">
              {position.symbol} is a cross position: it draws on the account's whole wallet, so it has no margin of its own to add or remove.
            </p>
          ) : (
            <>
              <div className="margin-row">
                {(['add', 'remove'] as const).map((d) => (
                  <label key={d}>
                    <input type="radio" name={`margin-${position.symbol}`} data-testid={`margin-direction-${d}`} checked={direction === d} onChange={() => setDirection(d)} /> {d === 'add' ? 'Add' : 'Remove'}
                  </label>
                ))}
                <input type="text" inputMode="decimal" data-testid="margin-amount" aria-label="Margin in USDT" placeholder="USDT" value={amountText} onChange={(e) => setAmountText(e.target.value)} />
              </div>
              <div className="muted num" data-testid="margin-now">
                Now: margin {formatMoney(position.isolatedWallet)} USDT, liquidation {formatPrice(position.liquidationPrice, tick)} ({formatPct(position.distanceToLiquidationPct)})
              </div>
              {preview.ok ? (
                <div className="num" data-testid="margin-preview" data-liquidation-price={preview.liquidationPrice ?? ''}>
                  After: margin {formatMoney(preview.walletBalance)} USDT, liquidation {formatPrice(preview.liquidationPrice, tick)} ({formatPct(preview.distanceToLiquidationPct)})
                </div>
              ) : (
                amountText.trim() !== '' && (
                  <div className="row-error" data-testid="margin-preview-problem">
                    {preview.reason}
                  </div>
                )
              )}
              <button type="button" className="btn-small" data-testid="margin-confirm" disabled={!preview.ok || busy} onClick={() => void confirm()}>
                {busy ? 'Sending…' : direction === 'add' ? 'Add margin' : 'Remove margin'}
              </button>
            </>
          )}
          {outcome && (
            <div className={outcome.ok ? 'num' : 'row-error'} role={outcome.ok ? 'status' : 'alert'} data-testid="margin-result">
              {outcome.text}
            </div>
          )}
        </div>
      )}
    </span>
  );
}
