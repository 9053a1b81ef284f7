/**
 * The panic shortcuts. Inside the cockpit window a quick one (Ctrl+Shift+X) flattens; the
 * system-wide one, which works even when another app has the focus, is a deliberate chord the user
 * chooses in Settings (Electron accelerator syntax), so that nobody presses it by accident: it needs
 * Ctrl (or Cmd) and at least one more modifier, and it may not be one of the window's own shortcuts.
 */

/** The in-window panic shortcut (also the app menu item's accelerator). */
export const IN_WINDOW_PANIC = 'CommandOrControl+Shift+X';

/** The system-wide panic chord until the user chooses another. */
export const DEFAULT_GLOBAL_PANIC_CHORD = 'CommandOrControl+Alt+Shift+F';

/** Every shortcut the cockpit window answers itself (page and app menu): the global chord must be none of them. */
export const IN_WINDOW_SHORTCUTS: readonly { accelerator: string; what: string }[] = [
  { accelerator: IN_WINDOW_PANIC, what: 'the in-window panic' },
  { accelerator: 'CommandOrControl+,', what: 'Settings' },
  { accelerator: 'A', what: 'approve the selected proposal' },
  { accelerator: 'R', what: 'reject the selected proposal' },
  { accelerator: 'CommandOrControl+Z', what: 'Undo' },
  { accelerator: 'CommandOrControl+Shift+Z', what: 'Redo' },
  { accelerator: 'CommandOrControl+Y', what: 'Redo' },
  { accelerator: 'CommandOrControl+X', what: 'Cut' },
  { accelerator: 'CommandOrControl+C', what: 'Copy' },
  { accelerator: 'CommandOrControl+V', what: 'Paste' },
  { accelerator: 'CommandOrControl+Alt+Shift+V', what: 'Paste and match style' },
  { accelerator: 'CommandOrControl+A', what: 'Select all' },
  { accelerator: 'CommandOrControl+0', what: 'Actual size' },
  { accelerator: 'CommandOrControl+Plus', what: 'Zoom in' },
  { accelerator: 'CommandOrControl+Shift+=', what: 'Zoom in' },
  { accelerator: 'CommandOrControl+-', what: 'Zoom out' },
  { accelerator: 'F11', what: 'Full screen' },
  { accelerator: 'Control+Command+F', what: 'Full screen' },
];

const MODIFIERS: Readonly<Record<string, 'mod' | 'alt' | 'shift'>> = {
  commandorcontrol: 'mod',
  cmdorctrl: 'mod',
  control: 'mod',
  ctrl: 'mod',
  command: 'mod',
  cmd: 'mod',
  super: 'mod',
  meta: 'mod',
  alt: 'alt',
  option: 'alt',
  altgr: 'alt',
  shift: 'shift',
};

const KEY = /^([a-z0-9]|f([1-9]|1[0-9]|2[0-4])|plus|space|tab|backspace|delete|insert|home|end|pageup|pagedown|up|down|left|right|escape|[,.\-=;'/\\`[\]])$/;

/** A chord read: its modifiers (Ctrl, Cmd and CommandOrControl count as one) and its key, or why it cannot be read. */
function parseChord(accelerator: string): { modifiers: Set<string>; key: string } | string {
  const parts = accelerator.trim().split('+').map((p) => p.trim().toLowerCase());
  // A trailing "+" key is written "Plus"; "Ctrl++" splits into an empty part.
  if (parts.some((p) => p === '')) return 'write the + key as Plus (e.g. Ctrl+Alt+Plus)';
  const modifiers = new Set<string>();
  const keys: string[] = [];
  for (const part of parts) {
    const modifier = MODIFIERS[part];
    if (modifier) modifiers.add(modifier);
    else if (KEY.test(part)) keys.push(part);
    else return `"${part}" is not a key or modifier (use e.g. Ctrl+Alt+Shift+F)`;
  }
  if (keys.length !== 1) return 'name exactly one key besides the modifiers (e.g. Ctrl+Alt+Shift+F)';
  return { modifiers, key: keys[0]! };
}

const signature = (chord: { modifiers: Set<string>; key: string }) => `${[...chord.modifiers].sort().join('+')}|${chord.key}`;

/**
 * Why `accelerator` cannot be the global panic chord, or null when it can: it must read as an
 * Electron accelerator with Ctrl (or Cmd), at least one more modifier and one key, and must not be
 * one of the window's own shortcuts ({@link IN_WINDOW_SHORTCUTS}).
 */
export function globalPanicChordProblem(accelerator: string): string | null {
  const chord = parseChord(accelerator);
  if (typeof chord === 'string') return chord;
  if (!chord.modifiers.has('mod') || chord.modifiers.size < 2) return 'needs Ctrl (or Cmd) and at least one more modifier, so that nobody presses it by accident (e.g. Ctrl+Alt+Shift+F)';
  const taken = IN_WINDOW_SHORTCUTS.find((s) => {
    const own = parseChord(s.accelerator);
    return typeof own !== 'string' && signature(own) === signature(chord);
  });
  return taken ? `collides with ${taken.accelerator} (${taken.what}) inside the cockpit window: choose another chord` : null;
}
