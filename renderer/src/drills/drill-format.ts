/** A breaker's reaction delay as the drill report shows it: whole milliseconds under a second, else seconds. */
export function formatDrillDelay(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
