/** What the next start of the app trades on. */
export type ModeChoice =
  | { mode: 'paper' }
  /** `fingerprint`: the API key confirmed for live (absent in choices made before one account per key, or for such keys). */
  | { mode: 'live'; exchange: string; testnet: boolean; demo: boolean; fingerprint?: string };

/**
 * The host's side of switching the trading mode. Electron implements it (the
 * choice is persisted and the app relaunches); headless has none and picks its
 * mode with `--exchange` flags at start. The engine never knows which host runs it.
 *
 * @example
 * ```ts
 * new Engine({ dataDir, adapter, settingsStore, vault, host: { nextMode, lockedReason, setMode, restart } });
 * ```
 */
export interface ModeHost {
  /** The mode the next start will run in, as the host will resolve it (environment overrides included). */
  nextMode(): ModeChoice;
  /** Why the app cannot change the mode (e.g. `COCKPIT_EXCHANGE` pins it), or null when it can. */
  lockedReason(): string | null;
  /** Persists the choice for the next start. The engine calls it only after journalling the change. */
  setMode(choice: ModeChoice): void;
  /** Restarts the app into the persisted mode once the command's answer has been sent. */
  restart(): void;
}
