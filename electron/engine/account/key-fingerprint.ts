import { createHash } from 'node:crypto';

/**
 * A short fingerprint of an API key: the first 12 hex digits of its SHA-256. It tells two keys
 * (two accounts) apart in file names and the stored mode choice, and never reveals the key.
 *
 * @example keyFingerprint('vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A') // 12 hex digits
 */
export function keyFingerprint(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex').slice(0, 12);
}
