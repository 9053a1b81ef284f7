import { safeStorage } from 'electron';
import type { CredentialStatus } from '../../shared/domain';
import { maskKey, type CredentialInput, type CredentialVault, type Credentials } from '../engine/credential-vault';
import { CommandError } from '../engine/errors';
import { keyFingerprint } from '../engine/account/key-fingerprint';

/** What the vault persists: the secrets only as an encrypted blob, the rest for the status line. */
export interface StoredCredentials {
  exchange: Credentials['exchange'];
  testnet: boolean;
  /** Absent in records stored before demo trading was offered: read as false. */
  demo?: boolean;
  maskedKey: string;
  /** The API key's fingerprint; absent in records stored before one account per key. */
  fingerprint?: string;
  encryption: 'os' | 'plaintext';
  /** base64 of safeStorage's ciphertext of `{ apiKey, apiSecret, password }`. */
  secret: string;
}

/** Where the record lives: one electron-store key in the app. */
export interface CredentialRecordStore {
  get(): StoredCredentials | undefined;
  set(record: StoredCredentials): void;
  delete(): void;
}

type Protection = 'os' | 'plaintext' | 'unavailable';

function protection(): Protection {
  if (!safeStorage.isEncryptionAvailable()) return 'unavailable';
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return 'plaintext';
  return 'os';
}

/**
 * Exchange keys encrypted with Electron's safeStorage (the OS keychain).
 * On Linux without a keyring safeStorage falls back to a fixed key, which is
 * no better than plaintext: the vault refuses that unless the user accepts it.
 * Secrets leave this object only through `read`, for the exchange adapter.
 */
export class SafeStorageCredentialVault implements CredentialVault {
  constructor(private readonly store: CredentialRecordStore) {}

  status(): CredentialStatus {
    const record = this.store.get();
    return {
      exchange: record?.exchange ?? null,
      stored: record !== undefined,
      maskedKey: record?.maskedKey ?? null,
      ...(record?.fingerprint ? { fingerprint: record.fingerprint } : {}),
      encryption: record?.encryption ?? 'none',
      testnet: record?.testnet ?? false,
      demo: record?.demo ?? false,
    };
  }

  set(input: CredentialInput): CredentialStatus {
    const level = protection();
    if (level === 'unavailable') {
      throw new CommandError('refused', 'The operating system offers no encryption for secrets right now; credentials were not stored', {
        code: 'encryption-unavailable',
      });
    }
    if (level === 'plaintext' && input.acceptPlaintext !== true) {
      throw new CommandError(
        'refused',
        'No OS keyring was found, so the keys could only be stored as plaintext on disk. Install a keyring (e.g. gnome-keyring) or explicitly accept plaintext storage.',
        { code: 'plaintext-storage' },
      );
    }
    const secrets = { apiKey: input.apiKey, apiSecret: input.apiSecret, ...(input.password ? { password: input.password } : {}) };
    this.store.set({
      exchange: input.exchange,
      testnet: input.testnet,
      demo: input.demo,
      maskedKey: maskKey(input.apiKey),
      fingerprint: keyFingerprint(input.apiKey),
      encryption: level,
      secret: safeStorage.encryptString(JSON.stringify(secrets)).toString('base64'),
    });
    return this.status();
  }

  clear(): CredentialStatus {
    this.store.delete();
    return this.status();
  }

  read(): Credentials | null {
    const record = this.store.get();
    if (!record) return null;
    let secrets: { apiKey: string; apiSecret: string; password?: string };
    try {
      secrets = JSON.parse(safeStorage.decryptString(Buffer.from(record.secret, 'base64')));
    } catch {
      throw new CommandError('refused', 'The stored credentials cannot be decrypted on this machine; enter them again', { code: 'decrypt-failed' });
    }
    return { exchange: record.exchange, testnet: record.testnet, demo: record.demo ?? false, ...secrets };
  }
}
