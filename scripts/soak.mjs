// npm run soak [-- --seeds N] [--steps S] [--from SEED] [--jobs J]
// Runs the randomized fault test of electron/engine/engine-venue.test.ts ("under injected faults") once per seed,
// S steps each (default 20 seeds of 1,000 steps; fresh seeds unless --from gives the first of consecutive ones;
// J runs at a time, default 1). Prints one line per seed, with the command that replays a failure and the file that
// holds its output, and as its last line: soak: seeds=N steps=S failures=F. Exits non-zero on any failure.
// Not run by CI: it takes about as many minutes as it has seeds.
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TEST_FILE = 'electron/engine/engine-venue.test.ts';
const TEST_NAME = 'under injected faults';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LOG_DIR = path.join(ROOT, '.reports', 'soak');

function options(argv) {
  const given = { seeds: 20, steps: 1000, from: null, jobs: 1 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, '');
    const value = Number(argv[i + 1]);
    if (!(key in given)) throw new Error(`soak: unknown option ${argv[i]}; use --seeds N, --steps S, --from SEED, --jobs J`);
    if (!Number.isSafeInteger(value) || value < (key === 'from' ? 0 : 1)) throw new Error(`soak: ${argv[i]} needs a whole number${key === 'from' ? '' : ' of at least 1'}, got "${argv[i + 1] ?? ''}"`);
    given[key] = value;
  }
  return given;
}

const running = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of running) child.kill('SIGTERM');
    console.log(`soak: interrupted by ${signal}`);
    process.exit(130);
  });
}

function runSeed(vitest, seed, steps) {
  const started = Date.now();
  const log = path.join(LOG_DIR, `seed-${seed}.log`);
  const out = fs.openSync(log, 'w');
  const child = spawn(process.execPath, [vitest, 'run', TEST_FILE, '-t', TEST_NAME], {
    cwd: ROOT,
    env: { ...process.env, COCKPIT_FAULT_SEED: String(seed), COCKPIT_FAULT_STEPS: String(steps) },
    stdio: ['ignore', out, out],
  });
  running.add(child);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      running.delete(child);
      fs.closeSync(out);
      const passed = code === 0 && /1 passed/.test(fs.readFileSync(log, 'utf8'));
      if (passed) fs.rmSync(log);
      resolve({ seed, passed, seconds: Math.round((Date.now() - started) / 1000), log });
    });
  });
}

let given;
try {
  given = options(process.argv.slice(2));
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
const vitest = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const seeds = Array.from({ length: given.seeds }, (_, i) => (given.from === null ? randomInt(1, 2 ** 31) : given.from + i));
fs.mkdirSync(LOG_DIR, { recursive: true });
console.log(`soak: ${given.seeds} seeds of ${given.steps} steps, ${given.jobs} at a time: ${TEST_FILE} "${TEST_NAME}"`);

const queue = [...seeds];
let failures = 0;
await Promise.all(
  Array.from({ length: Math.min(given.jobs, seeds.length) }, async () => {
    for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
      const result = await runSeed(vitest, seed, given.steps);
      if (result.passed) console.log(`seed ${seed}: passed (${result.seconds} s)`);
      else {
        failures += 1;
        console.log(`seed ${seed}: FAILED (${result.seconds} s): output in ${result.log}; replay: COCKPIT_FAULT_SEED=${seed} COCKPIT_FAULT_STEPS=${given.steps} npx vitest run ${TEST_FILE} -t "${TEST_NAME}"`);
      }
    }
  }),
);
console.log(`soak: seeds=${given.seeds} steps=${given.steps} failures=${failures}`);
process.exit(failures === 0 ? 0 : 1);
