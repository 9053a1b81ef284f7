/** How many of the exchange's symbols a refusal names before it just counts the rest. */
const NAMED = 12;

/** What the settings' symbol check needs to know. */
export interface SymbolListing {
  /** The exchange's id, as the user knows it (`paper`, `binanceusdm`…). */
  exchange: string;
  /** Every symbol the exchange lists; empty while its markets have not loaded. */
  listed: readonly string[];
  /** The symbols in force now: kept even while the exchange's list is unknown. */
  current: readonly string[];
}

/**
 * Why these symbols cannot be traded, as one sentence for the `symbols` field,
 * or null when every one is listed. A symbol already in force passes while the
 * market list has not loaded, so other settings can still be changed offline.
 */
export function unlistedSymbolsProblem(symbols: readonly string[], { exchange, listed, current }: SymbolListing): string | null {
  if (listed.length === 0) {
    const unchecked = symbols.filter((s) => !current.includes(s));
    if (unchecked.length === 0) return null;
    return `${unchecked.join(', ')} cannot be checked yet: ${exchange}'s market list has not loaded. Try again once connected.`;
  }
  const known = new Set(listed);
  const unknown = symbols.filter((s) => !known.has(s));
  if (unknown.length === 0) return null;
  const available = [...listed].sort();
  const named = available.slice(0, NAMED).join(', ');
  const more = available.length > NAMED ? ` and ${available.length - NAMED} more` : '';
  const verb = unknown.length === 1 ? 'is' : 'are';
  return `${unknown.join(', ')} ${verb} not listed on ${exchange}. Available: ${named}${more}.`;
}
