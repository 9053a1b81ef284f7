import { describe, expect, it } from 'vitest';
import { DEFAULT_GLOBAL_PANIC_CHORD, globalPanicChordProblem, IN_WINDOW_PANIC, IN_WINDOW_SHORTCUTS } from './panic-chord';

describe('the global panic chord', () => {
  it('defaults to a deliberate chord that is none of the window’s shortcuts', () => {
    expect(DEFAULT_GLOBAL_PANIC_CHORD).toBe('CommandOrControl+Alt+Shift+F');
    expect(globalPanicChordProblem(DEFAULT_GLOBAL_PANIC_CHORD)).toBeNull();
  });

  it('accepts other chords of Ctrl (or Cmd) with another modifier, in any spelling and order', () => {
    for (const chord of ['Ctrl+Alt+P', 'Shift+Control+F12', 'CmdOrCtrl+Option+Plus', ' super + shift + 9 ']) expect(globalPanicChordProblem(chord)).toBeNull();
  });

  it('refuses the in-window panic Ctrl+Shift+X, however it is spelled, and every other shortcut of the window', () => {
    expect(globalPanicChordProblem(IN_WINDOW_PANIC)).toMatch(/collides with CommandOrControl\+Shift\+X \(the in-window panic\)/);
    expect(globalPanicChordProblem('Shift+Ctrl+x')).toMatch(/collides/);
    expect(globalPanicChordProblem('Ctrl+Alt+Shift+V')).toMatch(/Paste and match style/);
    for (const { accelerator } of IN_WINDOW_SHORTCUTS) expect(globalPanicChordProblem(accelerator), accelerator).not.toBeNull();
  });

  it('refuses a chord anyone could press by accident', () => {
    for (const chord of ['F', 'Ctrl+F', 'Alt+Shift+F', 'F5']) expect(globalPanicChordProblem(chord), chord).toMatch(/needs Ctrl \(or Cmd\) and at least one more modifier/);
  });

  it('refuses what is not an accelerator, with the reason', () => {
    expect(globalPanicChordProblem('Ctrl+Alt+Hyper')).toMatch(/"hyper" is not a key or modifier/);
    expect(globalPanicChordProblem('Ctrl+Alt+F+G')).toMatch(/exactly one key/);
    expect(globalPanicChordProblem('Ctrl+Alt')).toMatch(/exactly one key/);
    expect(globalPanicChordProblem('Ctrl+Alt++')).toMatch(/Plus/);
    expect(globalPanicChordProblem('')).toMatch(/Plus|key/);
  });
});
