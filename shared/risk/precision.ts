import { requireNonNegative, requirePositive } from './number-checks';

/** How far (in steps) a ratio may sit from a whole or half step and still count as on it: float noise only. */
const SNAP_STEPS = 1e-9;

function decimalsOf(step: number): number {
  const [mantissa, exponent] = step.toExponential().split('e') as [string, string];
  const fractionDigits = mantissa.replace(/^\d\.?/, '').length;
  return Math.max(0, fractionDigits - Number(exponent));
}

function stepsIn(value: number, step: number): number {
  const ratio = value / step;
  const nearestHalf = Math.round(ratio * 2) / 2;
  const tolerance = Math.max(SNAP_STEPS, Math.abs(ratio) * 8 * Number.EPSILON);
  return Math.abs(ratio - nearestHalf) <= tolerance ? nearestHalf : ratio;
}

function toStepDecimals(steps: number, step: number): number {
  return Number((steps * step).toFixed(decimalsOf(step)));
}

/**
 * Rounds `value` down to a whole number of `step`s, as an exchange's amount step requires.
 * Decimal-safe: `roundDownToStep(0.3, 0.1)` is `0.3`, never `0.2` nor `0.30000000000000004`.
 * @throws RangeError when `value` is negative or not finite, or `step` is not above zero.
 */
export function roundDownToStep(value: number, step: number): number {
  requireNonNegative('value', value);
  requirePositive('step', step);
  return toStepDecimals(Math.floor(stepsIn(value, step)), step);
}

/**
 * Rounds `value` to the nearest multiple of `tick` (halves round up), as an exchange's tick size requires.
 * Decimal-safe: `roundToTick(0.15, 0.1)` is `0.2` and `roundToTick(0.1 + 0.2, 0.1)` is `0.3`.
 * @throws RangeError when `value` is negative or not finite, or `tick` is not above zero.
 */
export function roundToTick(value: number, tick: number): number {
  requireNonNegative('value', value);
  requirePositive('tick', tick);
  return toStepDecimals(Math.round(stepsIn(value, tick)), tick);
}

/**
 * True when `value` is a whole number of `step`s, up to float noise.
 * @throws RangeError when `value` is negative or not finite, or `step` is not above zero.
 */
export function isOnStep(value: number, step: number): boolean {
  requireNonNegative('value', value);
  requirePositive('step', step);
  return Number.isInteger(stepsIn(value, step));
}
