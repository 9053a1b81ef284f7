import { z } from 'zod';
import type { ModeChoice } from '../engine/mode-host';

/** The slice of electron-store the mode choice needs. */
export interface ModeChoiceBackend {
  get(key: 'choice'): unknown;
  set(key: 'choice', value: ModeChoice): void;
}

const modeChoiceSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('paper') }),
  // `demo` is absent from choices stored before demo trading was offered.
  // `fingerprint` is absent from choices stored before one account per key.
  z.strictObject({
    mode: z.literal('live'),
    exchange: z.string().min(1).max(64),
    testnet: z.boolean(),
    demo: z.boolean().default(false),
    fingerprint: z.string().regex(/^[0-9a-f]{12}$/).optional(),
  }),
]);

/**
 * The trading mode chosen in the app for the next start, in its own
 * electron-store file. Nothing stored, or anything that does not parse, reads
 * as paper: a damaged file can only ever fall back to the mode without money.
 */
export class ModeChoiceStore {
  constructor(private readonly backend: ModeChoiceBackend) {}

  load(): ModeChoice {
    const parsed = modeChoiceSchema.safeParse(this.backend.get('choice'));
    return parsed.success ? parsed.data : { mode: 'paper' };
  }

  save(choice: ModeChoice): void {
    this.backend.set('choice', modeChoiceSchema.parse(choice));
  }
}
