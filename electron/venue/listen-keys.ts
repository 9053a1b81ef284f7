import { randomBytes } from 'node:crypto';
import { binanceErrors } from './binance-error';

/** Binance lets a listenKey live 60 minutes after its last keep-alive. */
export const LISTEN_KEY_TTL_MS = 60 * 60_000;

/**
 * The account's user-data stream keys. As on Binance, one key is active at a
 * time: creating while one is active returns it and extends its validity.
 */
export class ListenKeys {
  private key: string | null = null;
  private expiresAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  create(): string {
    if (!this.active()) this.key = randomBytes(32).toString('base64url').slice(0, 64);
    this.expiresAt = this.now() + LISTEN_KEY_TTL_MS;
    return this.key!;
  }

  /** Extends the active key; -1125 when there is none. */
  keepAlive(): string {
    if (!this.active()) throw binanceErrors.invalidListenKey();
    this.expiresAt = this.now() + LISTEN_KEY_TTL_MS;
    return this.key!;
  }

  close(): void {
    this.key = null;
  }

  isValid(key: string | null | undefined): boolean {
    return !!key && this.active() && key === this.key;
  }

  private active(): boolean {
    return this.key !== null && this.now() < this.expiresAt;
  }
}
