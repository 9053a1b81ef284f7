import { describe, expect, it } from 'vitest';
import { describeError, errorMessage } from './error-message';

class RateLimitExceededError extends Error {
  override name = 'RateLimitExceededError';
}

describe('error messages', () => {
  it('gives an Error by its message, and anything else thrown as text', () => {
    expect(errorMessage(new Error('socket hang up'))).toBe('socket hang up');
    expect(errorMessage('timed out')).toBe('timed out');
    expect(errorMessage(418)).toBe('418');
  });

  it('names the kind of error for the journal', () => {
    expect(describeError(new RateLimitExceededError('-1003 too many requests'))).toBe('RateLimitExceededError: -1003 too many requests');
    expect(describeError(undefined)).toBe('undefined');
  });

  it('never throws itself, even for a value with no way to become a string', () => {
    const bare = Object.create(null) as unknown;
    expect(errorMessage(bare)).toBe('[object Object]');
    expect(describeError(bare)).toBe('[object Object]');
  });
});
