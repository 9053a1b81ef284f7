/** How many decimals a step such as a tick size (0.1, 0.0001, 1e-7) implies. */
export function decimalsOf(step: number): number {
  if (!Number.isFinite(step) || step <= 0) throw new Error(`step must be a positive number, got ${step}`);
  if (step >= 1) return 0;
  const [mantissa = '', exponent] = step.toExponential().split('e');
  const mantissaDecimals = (mantissa.split('.')[1] ?? '').length;
  return Math.max(0, mantissaDecimals - Number(exponent));
}

const DASH = '—';

/** A price with the market's precision; a dash when there is none. */
export function formatPrice(value: number | null | undefined, tickSize = 0.01): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const decimals = decimalsOf(tickSize);
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A base-asset amount with the market's step precision. */
export function formatAmount(value: number | null | undefined, amountStep = 0.001): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const decimals = decimalsOf(amountStep);
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Money in the settlement currency, two decimals; `signed` prefixes + for gains. */
export function formatMoney(value: number | null | undefined, options: { signed?: boolean; currency?: string } = {}): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const text = Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const sign = value < 0 ? '−' : options.signed && value > 0 ? '+' : '';
  return `${sign}${text}${options.currency ? ` ${options.currency}` : ''}`;
}

/** A percentage with two decimals; `signed` prefixes + for positive values. */
export function formatPct(value: number | null | undefined, options: { signed?: boolean; decimals?: number } = {}): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const decimals = options.decimals ?? 2;
  const sign = value < 0 ? '−' : options.signed && value > 0 ? '+' : '';
  return `${sign}${Math.abs(value).toFixed(decimals)}%`;
}

/** A leverage multiple, e.g. `3.5x`. */
export function formatLeverage(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return `${Number(value.toFixed(2))}x`;
}

/** A duration left, e.g. `1m 05s`, `42s`, or `expired`. */
export function formatCountdown(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return 'expired';
  const total = Math.ceil(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
  return `${seconds}s`;
}
