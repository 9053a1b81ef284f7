import type { CommandInput } from '../../shared/contract';
import type { CredentialStatus } from '../../shared/domain';
import { keyFingerprint } from './account/key-fingerprint';

export type CredentialInput = CommandInput<'credentials.set'>;

export interface Credentials {
  exchange: CredentialInput['exchange'];
  apiKey: string;
  apiSecret: string;
  password?: string;
  testnet: boolean;
  demo: boolean;
}

/**
 * Holds exchange API keys in the host process. Only {@link CredentialStatus}
 * (a masked key id) is ever sent to the renderer; `read` is for the adapter.
 */
export interface CredentialVault {
  status(): CredentialStatus;
  set(input: CredentialInput): CredentialStatus;
  clear(): CredentialStatus;
  read(): Credentials | null;
}

export function maskKey(key: string): string {
  return key.length <= 8 ? '••••' : `${key.slice(0, 4)}…${key.slice(-4)}`;
}

/** Headless mode: keys live in memory for the life of the process and are never written to disk. */
export class MemoryCredentialVault implements CredentialVault {
  private credentials: Credentials | null = null;

  constructor(initial: Credentials | null = null) {
    this.credentials = initial;
  }

  status(): CredentialStatus {
    const c = this.credentials;
    return {
      exchange: c?.exchange ?? null,
      stored: c !== null,
      maskedKey: c ? maskKey(c.apiKey) : null,
      ...(c ? { fingerprint: keyFingerprint(c.apiKey) } : {}),
      encryption: 'none',
      testnet: c?.testnet ?? false,
      demo: c?.demo ?? false,
    };
  }

  set(input: CredentialInput): CredentialStatus {
    const { acceptPlaintext: _ignored, ...credentials } = input;
    this.credentials = credentials;
    return this.status();
  }

  clear(): CredentialStatus {
    this.credentials = null;
    return this.status();
  }

  read(): Credentials | null {
    return this.credentials;
  }
}
