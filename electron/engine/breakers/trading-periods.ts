const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-01 was a Thursday; weeks start on Monday 00:00 UTC, as Binance's do. */
const MONDAY_OFFSET_MS = 4 * DAY_MS;

/** Midnight UTC that starts the day holding `time`. */
export const dayStart = (time: number): number => Math.floor(time / DAY_MS) * DAY_MS;

/** The next midnight UTC after `time`. */
export const dayEnd = (time: number): number => dayStart(time) + DAY_MS;

/** Monday 00:00 UTC that starts the week holding `time`. */
export const weekStart = (time: number): number => Math.floor((time - MONDAY_OFFSET_MS) / WEEK_MS) * WEEK_MS + MONDAY_OFFSET_MS;

/** The next Monday 00:00 UTC after `time`. */
export const weekEnd = (time: number): number => weekStart(time) + WEEK_MS;
