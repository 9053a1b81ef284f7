/** The cockpit's colours, for the canvas (CSS variables cover the DOM). */
export const palette = {
  background: '#0d1117',
  panel: '#131a23',
  grid: '#1c2430',
  text: '#c9d1d9',
  muted: '#7d8896',
  up: '#26a69a',
  down: '#ef5350',
  upVolume: 'rgba(38, 166, 154, 0.35)',
  downVolume: 'rgba(239, 83, 80, 0.35)',
  entry: '#58a6ff',
  stop: '#ff5c5c',
  takeProfit: '#3fb950',
  liquidation: '#ff9f1c',
  proposal: '#d2a8ff',
} as const;
