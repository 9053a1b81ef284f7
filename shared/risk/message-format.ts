/** An amount or price for a trader to read: up to 8 significant digits, no trailing zeros. */
export const formatNumber = (n: number): string => String(Number(n.toPrecision(8)));

/** A USDT amount with cents. */
export const formatUsd = (n: number): string => `${n.toFixed(2)} USDT`;

/** A fraction (0.015) as a percent ("1.5%"). */
export const formatPct = (fraction: number): string => `${Number((fraction * 100).toFixed(2))}%`;
