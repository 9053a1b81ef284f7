import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CredentialInput } from '../engine/credential-vault';
import { CommandError } from '../engine/errors';
import { keyFingerprint } from '../engine/account/key-fingerprint';

/** A reversible stand-in for the OS cipher: the stored bytes must never show the secret. */
const safeStorage = vi.hoisted(() => ({
  available: true,
  backend: 'gnome_libsecret' as string,
  isEncryptionAvailable() {
    return this.available;
  },
  getSelectedStorageBackend() {
    return this.backend;
  },
  encryptString: (plain: string) => Buffer.from(`enc:${Buffer.from(plain).toString('hex').split('').reverse().join('')}`),
  decryptString: (cipher: Buffer) => {
    const text = cipher.toString();
    if (!text.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(text.slice(4).split('').reverse().join(''), 'hex').toString();
  },
}));
vi.mock('electron', () => ({ safeStorage }));

const { SafeStorageCredentialVault } = await import('./credential-store');
type Stored = import('./credential-store').StoredCredentials;

const KEYS: CredentialInput = { exchange: 'binanceusdm', apiKey: 'AKIA1234567890KEY', apiSecret: 'super-secret-value-42', testnet: false, demo: true };

function memoryRecord() {
  let record: Stored | undefined;
  return { get: () => record, set: (r: Stored) => (record = structuredClone(r)), delete: () => (record = undefined), peek: () => record };
}

let record: ReturnType<typeof memoryRecord>;
let vault: InstanceType<typeof SafeStorageCredentialVault>;

beforeEach(() => {
  safeStorage.available = true;
  safeStorage.backend = 'gnome_libsecret';
  record = memoryRecord();
  vault = new SafeStorageCredentialVault(record);
});

afterEach(() => {
  vi.restoreAllMocks();
});

const onLinux = (backend: string) => {
  vi.spyOn(process, 'platform', 'get').mockReturnValue('linux');
  safeStorage.backend = backend;
};

describe('the safeStorage credential vault', () => {
  it('starts empty', () => {
    expect(vault.status()).toEqual({ exchange: null, stored: false, maskedKey: null, encryption: 'none', testnet: false, demo: false });
    expect(vault.read()).toBeNull();
  });

  it('stores the keys encrypted and reports only a masked key', () => {
    const status = vault.set(KEYS);
    expect(status).toEqual({ exchange: 'binanceusdm', stored: true, maskedKey: 'AKIA…0KEY', fingerprint: keyFingerprint(KEYS.apiKey), encryption: 'os', testnet: false, demo: true });
    const onDisk = JSON.stringify(record.peek());
    expect(onDisk).not.toContain(KEYS.apiKey);
    expect(onDisk).not.toContain(KEYS.apiSecret);
    expect(JSON.stringify(status)).not.toContain(KEYS.apiSecret);
  });

  it('gives the adapter the keys back, also after a restart', () => {
    vault.set({ ...KEYS, password: 'passphrase' });
    const restarted = new SafeStorageCredentialVault(record);
    expect(restarted.read()).toEqual({ exchange: 'binanceusdm', apiKey: KEYS.apiKey, apiSecret: KEYS.apiSecret, password: 'passphrase', testnet: false, demo: true });
    expect(restarted.status().stored).toBe(true);
  });

  it('reads a record stored before demo trading was offered as not demo', () => {
    vault.set(KEYS);
    const { demo: _dropped, ...older } = record.peek()!;
    record.set(older);
    expect(vault.status()).toMatchObject({ testnet: false, demo: false });
    expect(vault.read()).toMatchObject({ testnet: false, demo: false });
  });

  it('forgets the keys on clear', () => {
    vault.set(KEYS);
    expect(vault.clear()).toMatchObject({ stored: false, maskedKey: null });
    expect(record.peek()).toBeUndefined();
    expect(vault.read()).toBeNull();
  });

  it("refuses Linux's plaintext backend unless the user accepts it", () => {
    onLinux('basic_text');
    expect(() => vault.set(KEYS)).toThrow(CommandError);
    expect(() => vault.set(KEYS)).toThrow(/plaintext/);
    expect(record.peek()).toBeUndefined();
    expect(vault.set({ ...KEYS, acceptPlaintext: true })).toMatchObject({ stored: true, encryption: 'plaintext' });
  });

  it('uses a real Linux keyring without asking', () => {
    onLinux('kwallet6');
    expect(vault.set(KEYS).encryption).toBe('os');
  });

  it('refuses to store anything when the OS offers no encryption at all', () => {
    safeStorage.available = false;
    expect(() => vault.set({ ...KEYS, acceptPlaintext: true })).toThrow(expect.objectContaining({ type: 'refused', extra: { code: 'encryption-unavailable' } }));
    expect(record.peek()).toBeUndefined();
  });

  it('says so when the stored keys cannot be decrypted any more', () => {
    vault.set(KEYS);
    record.set({ ...record.peek()!, secret: Buffer.from('garbage').toString('base64') });
    expect(() => vault.read()).toThrow(expect.objectContaining({ type: 'refused', extra: { code: 'decrypt-failed' } }));
  });
});
