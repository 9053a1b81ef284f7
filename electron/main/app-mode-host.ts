import { app } from 'electron';
import type { CredentialVault } from '../engine/credential-vault';
import type { ModeHost } from '../engine/mode-host';
import { liveVenueAtLaunch, modePinnedByEnv } from './launch-options';
import type { ModeChoiceStore } from './mode-choice-store';

/** Long enough for the command's answer to reach the window and show that the app restarts. */
export const RESTART_DELAY_MS = 600;

export interface AppModeHostOptions {
  env: Record<string, string | undefined>;
  store: ModeChoiceStore;
  vault: Pick<CredentialVault, 'status'>;
  restart: () => void;
}

/**
 * Electron's side of the mode switch: the next mode is resolved exactly as
 * `index.ts` resolves it at launch (`liveVenueAtLaunch`), so what the window
 * shows is what the next start does.
 */
export function createAppModeHost(options: AppModeHostOptions): ModeHost {
  return {
    nextMode: () => {
      const keys = options.vault.status();
      const live = liveVenueAtLaunch(options.env, options.store.load(), keys);
      if (!live) return { mode: 'paper' };
      const fingerprint = live.exchange === keys.exchange ? keys.fingerprint : undefined;
      return { mode: 'live', exchange: live.exchange, testnet: live.testnet ?? false, demo: live.demo ?? false, ...(fingerprint ? { fingerprint } : {}) };
    },
    lockedReason: () => modePinnedByEnv(options.env),
    setMode: (choice) => options.store.save(choice),
    restart: options.restart,
  };
}

export interface RelaunchOptions {
  /** Stops the transport and the engine (strategies, streams, journal). */
  shutdown: () => Promise<void>;
  /** Runs the restart later, once the answer has been sent (default: after {@link RESTART_DELAY_MS}). */
  defer?: (run: () => void) => void;
}

/**
 * Returns the restart of the app: once, later, the engine is shut down
 * cleanly and Electron relaunches itself (`app.relaunch()` then `app.exit(0)`;
 * `exit` skips `before-quit`, whose shutdown has already run here).
 */
export function appRelauncher({ shutdown, defer = (run) => void setTimeout(run, RESTART_DELAY_MS) }: RelaunchOptions): () => void {
  let scheduled = false;
  return () => {
    if (scheduled) return;
    scheduled = true;
    defer(() => {
      void shutdown()
        .catch((error: unknown) => console.error('cockpit: shutdown before restart failed', error))
        .finally(() => {
          app.relaunch();
          app.exit(0);
        });
    });
  };
}
