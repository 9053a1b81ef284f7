import { describe, expect, it } from 'vitest';
import type { FlattenReport } from '../../../shared/domain';
import { isPanicShortcut, newestReport } from './use-panic';

const key = (over: Partial<Parameters<typeof isPanicShortcut>[0]>) => ({ ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, code: '', key: '', ...over });

describe('isPanicShortcut', () => {
  it('is Ctrl+Shift+X, or Cmd+Shift+X, on any keyboard layout', () => {
    expect(isPanicShortcut(key({ ctrlKey: true, shiftKey: true, code: 'KeyX', key: 'X' }))).toBe(true);
    expect(isPanicShortcut(key({ metaKey: true, shiftKey: true, code: 'KeyX', key: 'X' }))).toBe(true);
    expect(isPanicShortcut(key({ ctrlKey: true, shiftKey: true, code: 'KeyB', key: 'x' }))).toBe(true);
  });

  it('is not X alone, Ctrl+X (cut) or Ctrl+Alt+Shift+X', () => {
    expect(isPanicShortcut(key({ code: 'KeyX', key: 'x' }))).toBe(false);
    expect(isPanicShortcut(key({ ctrlKey: true, code: 'KeyX', key: 'x' }))).toBe(false);
    expect(isPanicShortcut(key({ ctrlKey: true, altKey: true, shiftKey: true, code: 'KeyX', key: 'X' }))).toBe(false);
  });
});

describe('newestReport', () => {
  const report = (id: string, startedAt: number, finishedAt: number | null): FlattenReport => ({
    id,
    reason: 'panic',
    startedAt,
    finishedAt,
    attempts: 1,
    flat: finishedAt !== null,
    symbols: [],
    remaining: [],
  });

  it('prefers the finished report of the same flatten over its progress', () => {
    const done = report('f1', 1, 5);
    expect(newestReport(report('f1', 1, null), done)).toBe(done);
    expect(newestReport(done, report('f1', 1, null))).toBe(done);
  });

  it('prefers the later flatten', () => {
    const later = report('f2', 10, null);
    expect(newestReport(report('f1', 1, 5), later)).toBe(later);
  });

  it('takes whichever exists', () => {
    const only = report('f1', 1, 5);
    expect(newestReport(null, only)).toBe(only);
    expect(newestReport(only, null)).toBe(only);
    expect(newestReport(null, null)).toBeNull();
  });
});
