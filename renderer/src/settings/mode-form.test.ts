import { describe, expect, it } from 'vitest';
import type { ModeStatus } from '../../../shared/contract';
import {
  appliedModeMessage,
  canApplyMode,
  confirmationPrompt,
  describeMode,
  describeRunning,
  initialModeDraft,
  modeFieldErrors,
  modeRequest,
} from './mode-form';

const paperNow: ModeStatus = { current: 'paper', currentExchange: null, next: 'paper', exchange: null, testnet: false, demo: false, restartRequired: false, locked: null };
const liveNow: ModeStatus = { current: 'live', currentExchange: 'binanceusdm', next: 'live', exchange: 'binanceusdm', testnet: false, demo: false, restartRequired: false, locked: null };

describe('the trading mode form', () => {
  it('names each mode so real money is never ambiguous', () => {
    expect(describeMode('paper', null)).toBe('Paper (simulated)');
    expect(describeMode('live', 'bybit', { testnet: true, demo: false })).toBe('Live on bybit (testnet)');
    expect(describeMode('live', 'binanceusdm', { testnet: false, demo: true })).toBe('Live on binanceusdm (demo trading)');
    expect(describeMode('live', 'okx', { testnet: false, demo: false })).toBe('Live on okx (real money)');
  });

  it('names what runs now, with its exchange when live', () => {
    expect(describeRunning(paperNow)).toBe('Paper (simulated)');
    expect(describeRunning({ ...liveNow, next: 'paper', exchange: null })).toBe('Live on binanceusdm');
  });

  it('starts from the mode chosen for the next start, with nothing typed', () => {
    expect(initialModeDraft(liveNow)).toEqual({ mode: 'live', confirmation: '' });
    expect(initialModeDraft(null)).toEqual({ mode: 'paper', confirmation: '' });
  });

  it('asks for the stored exchange id, or for keys first', () => {
    expect(confirmationPrompt('binanceusdm')).toBe('Type binanceusdm to trade live with these keys');
    expect(confirmationPrompt(null)).toMatch(/Store exchange keys/);
  });

  it('offers Apply for live only once something is typed', () => {
    expect(canApplyMode({ mode: 'live', confirmation: '' }, paperNow, false)).toBe(false);
    expect(canApplyMode({ mode: 'live', confirmation: '   ' }, paperNow, false)).toBe(false);
    expect(canApplyMode({ mode: 'live', confirmation: 'binanceusdm' }, paperNow, false)).toBe(true);
  });

  it('offers Apply for paper without any typing', () => {
    expect(canApplyMode({ mode: 'paper', confirmation: '' }, liveNow, false)).toBe(true);
  });

  it('offers nothing when the choice is what runs and will run, or while busy or loading', () => {
    expect(canApplyMode({ mode: 'paper', confirmation: '' }, paperNow, false)).toBe(false);
    expect(canApplyMode({ mode: 'live', confirmation: 'binanceusdm' }, paperNow, true)).toBe(false);
    expect(canApplyMode({ mode: 'live', confirmation: 'binanceusdm' }, null, false)).toBe(false);
  });

  it('offers Apply again when the next start already differs from what runs', () => {
    expect(canApplyMode({ mode: 'paper', confirmation: '' }, { ...liveNow, next: 'paper', exchange: null, restartRequired: true }, false)).toBe(true);
  });

  it('sends the typed text for live and none for paper', () => {
    expect(modeRequest({ mode: 'live', confirmation: 'binanceusdm' })).toEqual({ mode: 'live', confirmation: 'binanceusdm' });
    expect(modeRequest({ mode: 'paper', confirmation: 'left over' })).toEqual({ mode: 'paper', confirmation: '' });
  });

  it("puts the engine's refusal at the field it names, else at the mode", () => {
    expect(modeFieldErrors({ type: 'refused', message: 'x', fields: { confirmation: 'type "binanceusdm"' } })).toEqual({ confirmation: 'type "binanceusdm"' });
    expect(modeFieldErrors({ type: 'refused', message: 'x', fields: { mode: 'store keys first' } })).toEqual({ mode: 'store keys first' });
    expect(modeFieldErrors({ type: 'internal', message: 'store broke' })).toEqual({ mode: 'store broke' });
  });

  it('says the app restarts when it does', () => {
    expect(appliedModeMessage({ ...paperNow, next: 'live', exchange: 'binanceusdm', demo: true, restartRequired: true })).toBe(
      'Live on binanceusdm (demo trading) chosen: the app restarts now to switch.',
    );
    expect(appliedModeMessage(paperNow)).toBe('Paper (simulated) is what runs now; nothing to restart.');
  });
});
