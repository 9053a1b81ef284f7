/** A sub-seed for one named stream (a symbol's prices, its premium), so streams never share draws. */
export function seedFor(seed: number, label: string): number {
  let hash = 2166136261;
  for (let i = 0; i < label.length; i++) hash = Math.imul(hash ^ label.charCodeAt(i), 16777619);
  return (seed ^ hash) >>> 0;
}
