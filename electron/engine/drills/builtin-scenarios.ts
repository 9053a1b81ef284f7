import { parseScenario, type Scenario } from './scenario';

/**
 * The drills every paper account can run. Each is a scenario file's content, checked like one:
 * the user's own files (the data folder's `drills/`) take the same format.
 */
const RAW: Record<string, unknown> = {
  'flash-crash': {
    name: 'Flash crash',
    description: 'BTC falls 12% in 90 seconds with a wick to −15%; ETH falls 15% with it.',
    symbols: {
      'BTC/USDT:USDT': { path: [{ at: 0, change: 0 }, { at: 60, change: -10 }, { at: 70, change: -15 }, { at: 90, change: -12 }] },
      'ETH/USDT:USDT': { path: [{ at: 0, change: 0 }, { at: 60, change: -12 }, { at: 70, change: -18 }, { at: 90, change: -15 }] },
    },
  },
  'slow-bleed': {
    name: 'Slow bleed',
    description: 'Everything drifts down for ten minutes: BTC −8%, ETH −12%, SOL −20%.',
    symbols: {
      'BTC/USDT:USDT': { path: [{ at: 0, change: 0 }, { at: 600, change: -8 }] },
      'ETH/USDT:USDT': { path: [{ at: 0, change: 0 }, { at: 600, change: -12 }] },
      'SOL/USDT:USDT': { path: [{ at: 0, change: 0 }, { at: 600, change: -20 }] },
    },
  },
  'short-squeeze': {
    name: 'Short squeeze',
    description: 'BTC jumps 10% in a minute with a wick to +14%; ETH +12%. Shorts get squeezed.',
    symbols: {
      'BTC/USDT:USDT': { path: [{ at: 0, change: 0 }, { at: 45, change: 8 }, { at: 55, change: 14 }, { at: 60, change: 10 }] },
      'ETH/USDT:USDT': { path: [{ at: 0, change: 0 }, { at: 45, change: 9 }, { at: 55, change: 16 }, { at: 60, change: 12 }] },
    },
  },
  'funding-spike': {
    name: 'Funding spike',
    description: 'Longs pay 0.3% per settlement on BTC and ETH for a day while prices grind 3% higher (use --speed to reach a settlement sooner).',
    durationS: 86_400,
    symbols: {
      'BTC/USDT:USDT': { path: [{ at: 0, change: 0 }, { at: 3_600, change: 3 }], funding: [{ at: 0, rate: 0.3 }] },
      'ETH/USDT:USDT': { path: [{ at: 0, change: 0 }, { at: 3_600, change: 3 }], funding: [{ at: 0, rate: 0.3 }] },
    },
  },
};

export const BUILTIN_SCENARIOS: Readonly<Record<string, Scenario>> = Object.fromEntries(
  Object.entries(RAW).map(([id, raw]) => [id, parseScenario(raw, `built-in drill ${id}`)]),
);
