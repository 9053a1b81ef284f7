import { describe, expect, it } from 'vitest';
import type { ModeChoice } from '../engine/mode-host';
import { ModeChoiceStore } from './mode-choice-store';

function backend(initial?: unknown) {
  const data = new Map<string, unknown>(initial === undefined ? [] : [['choice', initial]]);
  return { get: (key: 'choice') => data.get(key), set: (key: 'choice', value: ModeChoice) => void data.set(key, value), data };
}

describe('the trading mode chosen in the app', () => {
  it('is paper until something is chosen', () => {
    expect(new ModeChoiceStore(backend()).load()).toEqual({ mode: 'paper' });
  });

  it('keeps a live choice with its exchange and practice account across restarts', () => {
    const store = backend();
    new ModeChoiceStore(store).save({ mode: 'live', exchange: 'binanceusdm', testnet: false, demo: true });
    expect(new ModeChoiceStore(store).load()).toEqual({ mode: 'live', exchange: 'binanceusdm', testnet: false, demo: true });
    new ModeChoiceStore(store).save({ mode: 'paper' });
    expect(new ModeChoiceStore(store).load()).toEqual({ mode: 'paper' });
  });

  it('reads a live choice stored before demo trading was offered as not demo', () => {
    expect(new ModeChoiceStore(backend({ mode: 'live', exchange: 'bybit', testnet: true })).load()).toEqual({ mode: 'live', exchange: 'bybit', testnet: true, demo: false });
  });

  it.each([
    ['a mode it does not know', { mode: 'testnet' }],
    ['live without an exchange', { mode: 'live', testnet: false }],
    ['a plain string', 'live'],
    ['extra fields', { mode: 'live', exchange: 'okx', testnet: false, apiKey: 'x' }],
  ])('reads a damaged file (%s) as paper, never as live', (_case, damaged) => {
    expect(new ModeChoiceStore(backend(damaged)).load()).toEqual({ mode: 'paper' });
  });

  it('never writes a choice that does not parse', () => {
    const store = backend();
    expect(() => new ModeChoiceStore(store).save({ mode: 'live', exchange: '', testnet: false, demo: false })).toThrow();
    expect(store.data.has('choice')).toBe(false);
  });
});
