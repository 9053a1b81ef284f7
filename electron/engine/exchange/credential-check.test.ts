import { describe, expect, it } from 'vitest';
import type { Credentials } from '../credential-vault';
import { checkCredentials, withoutSecrets } from './credential-check';

const KEYS: Credentials = { exchange: 'binanceusdm', apiKey: 'AKIA1234567890KEY', apiSecret: 'super-secret-value-42', testnet: false, demo: false };

describe('the keys’ connection test', () => {
  it('blanks the key, secret and passphrase wherever an error message repeats them', () => {
    const message = 'okx GET https://x/?key=AKIA1234567890KEY&s=super-secret-value-42 passphrase p4ssphr4se refused';
    expect(withoutSecrets(message, { ...KEYS, password: 'p4ssphr4se' })).toBe('okx GET https://x/?key=•••&s=••• passphrase ••• refused');
  });

  it('fails with the reason, sending nothing, for a practice account the exchange does not have (a record from before)', async () => {
    expect(await checkCredentials({ ...KEYS, testnet: true })).toEqual({
      ok: false,
      message: 'The keys do not work on binanceusdm (testnet): binanceusdm has no futures testnet the cockpit can use: choose demo trading instead',
    });
  });

  it('says the keys are untested, with the network error, when the exchange cannot be reached', async () => {
    const result = await checkCredentials(KEYS, { exchangeUrl: 'http://127.0.0.1:9', timeoutMs: 2_000 });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^Could not reach binanceusdm \(real account\), so the keys are untested: binanceusdm GET http:\/\/127\.0\.0\.1:9\//);
  });
});
