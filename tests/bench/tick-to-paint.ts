/**
 * Tick-to-pixel latency: from the engine receiving a price update until the
 * chart has drawn it.
 *
 * The real engine runs on a paper exchange whose clock the benchmark steps
 * every 50 ms, one price tick per step (20 updates a second on each of its 4
 * symbols, evenly spaced), behind the real headless
 * WebSocket transport, with the built renderer in Debian's Chromium. The
 * exchange stream is tapped where the engine receives it, stamping each bar;
 * the page reports when each live bar has been drawn (the chart paints in its
 * animation frame; the probe's callback runs right after it, see
 * renderer/src/chart/paint-probe.ts). Both clocks are the machine's wall clock
 * read through `performance.timeOrigin + performance.now()`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Candle } from '../../shared/domain';
import { MemoryCredentialVault } from '../../electron/engine/credential-vault';
import { Engine } from '../../electron/engine/engine';
import type { ExchangeAdapter, ExchangeStreamEvent } from '../../electron/engine/exchange/adapter';
import { createPaperAdapter } from '../../electron/engine/exchange/paper-adapter';
import { MemorySettingsStore } from '../../electron/engine/settings-store';
import { startHeadlessServer } from '../../electron/headless/server';

const ROOT = path.resolve(import.meta.dirname, '../..');
const RENDERER_DIR = path.join(ROOT, 'out/renderer');
const CHROMIUM = process.env.COCKPIT_CHROMIUM ?? '/usr/bin/chromium';
/** 20 updates a second per symbol. */
const TICK_MS = 50;
const WARM_UP_MS = 3_000;
const MEASURE_MS = 15_000;
/** Fewer matched paints than this makes the figure meaningless. */
const MIN_SAMPLES = 100;

interface PaintSample {
  symbol: string;
  candle: Candle;
  arrivedAt: number;
  arrivalFrame: number;
  updatedAt: number;
  paintedAt: number;
  paintedFrame: number;
}

/** What the init script installs in the page (read by renderer/src/chart/paint-probe.ts and renderer/src/transport/arrival-probe.ts). */
interface ProbeGlobals {
  __paintSamples: PaintSample[];
  __cockpitPaintProbe: (sample: PaintSample) => void;
  /** Counted up at the start of every animation frame. */
  __cockpitFrame: number;
}

const wallClock = () => performance.timeOrigin + performance.now();
const barKey = (symbol: string, candle: Candle) => `${symbol}|${candle.time}|${candle.close}|${candle.volume}`;

/** Wraps an adapter so every bar it streams is stamped with when the engine received it. */
function stampReceipts(adapter: ExchangeAdapter, received: Map<string, number>): ExchangeAdapter {
  const subscribe: ExchangeAdapter['subscribe'] = (subscription, listener) =>
    adapter.subscribe(subscription, (event: ExchangeStreamEvent) => {
      if (event.type === 'candle' && !received.has(barKey(event.symbol, event.candle))) received.set(barKey(event.symbol, event.candle), wallClock());
      listener(event);
    });
  return new Proxy(adapter, {
    get(target, property) {
      if (property === 'subscribe') return subscribe;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The value below which `fraction` of the sorted samples lie (nearest rank). */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) throw new Error('no samples');
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank]!;
}

/** Runs the benchmark and returns the line `npm run bench` prints. */
export async function benchTickToPaint(): Promise<string> {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) throw new Error('tick_to_paint: the renderer is not built; run `npm run build` first');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`tick_to_paint: Chromium not found at ${CHROMIUM} (set COCKPIT_CHROMIUM)`);

  const received = new Map<string, number>();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-bench-'));
  const paper = createPaperAdapter({ seed: 7, tickMs: TICK_MS, manualClock: true });
  const clock = setInterval(() => paper.sim.advanceTo(Date.now()), TICK_MS);
  const adapter = stampReceipts(paper, received);
  const engine = new Engine({ dataDir, adapter, settingsStore: new MemorySettingsStore(), vault: new MemoryCredentialVault() });
  await engine.start();
  const server = await startHeadlessServer({ handlers: engine.handlers, bus: engine.bus, staticDir: RENDERER_DIR, port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-timer-throttling'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(() => {
      const samples: PaintSample[] = [];
      const page = globalThis as unknown as ProbeGlobals;
      page.__paintSamples = samples;
      page.__cockpitPaintProbe = (sample) => samples.push(sample);
      page.__cockpitFrame = 0;
      const { requestAnimationFrame } = globalThis as unknown as { requestAnimationFrame: (callback: () => void) => number };
      const count = () => {
        page.__cockpitFrame += 1;
        requestAnimationFrame(count);
      };
      requestAnimationFrame(count);
    });
    await page.goto(server.url);
    await page.getByTestId('connection-status').filter({ hasText: /^connected$/ }).waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="chart"][data-history="ready"]').waitFor({ timeout: 30_000 });

    await page.waitForTimeout(WARM_UP_MS);
    await page.evaluate(() => (globalThis as unknown as ProbeGlobals).__paintSamples.splice(0));
    await page.waitForTimeout(MEASURE_MS);
    const samples = await page.evaluate(() => (globalThis as unknown as ProbeGlobals).__paintSamples.splice(0));

    const matched = samples.flatMap((s) => {
      const at = received.get(barKey(s.symbol, s.candle));
      return at === undefined ? [] : [{ total: s.paintedAt - at, toChart: s.updatedAt - at, toPaint: s.paintedAt - s.updatedAt, framesLate: s.paintedFrame - s.arrivalFrame - 1, inRenderer: s.updatedAt - s.arrivedAt }];
    });
    const sorted = (pick: (m: (typeof matched)[number]) => number) => matched.map(pick).sort((a, b) => a - b);
    const latencies = sorted((m) => m.total);
    const toChart = sorted((m) => m.toChart);
    const toPaint = sorted((m) => m.toPaint);
    const inRenderer = sorted((m) => m.inRenderer);
    const late = matched.filter((m) => m.framesLate > 0).length;
    const framesLatePct = (late / matched.length) * 100;
    if (latencies.length < MIN_SAMPLES) {
      throw new Error(`tick_to_paint: only ${latencies.length} of ${samples.length} painted bars matched a bar the engine received (need ${MIN_SAMPLES})`);
    }
    process.stderr.write(
      `bench: tick_to_paint ${latencies.length} painted bars over ${MEASURE_MS / 1000} s (${samples.length - latencies.length} unmatched), 4 symbols at ${1000 / TICK_MS} updates/s each; p90 ${percentile(latencies, 0.9).toFixed(2)} ms, max ${latencies.at(-1)!.toFixed(2)} ms; engine to chart update p50 ${percentile(toChart, 0.5).toFixed(2)} p99 ${percentile(toChart, 0.99).toFixed(2)} ms, update to paint p50 ${percentile(toPaint, 0.5).toFixed(2)} p99 ${percentile(toPaint, 0.99).toFixed(2)} ms; arrival in the renderer to chart update p50 ${percentile(inRenderer, 0.5).toFixed(2)} p99 ${percentile(inRenderer, 0.99).toFixed(2)} ms; ${late} bars drawn a frame or more late; targets frames_late_pct <= 1, engine_to_update_p99_ms <= 3\n`,
    );
    return `tick_to_paint: p50_ms=${percentile(latencies, 0.5).toFixed(2)} p99_ms=${percentile(latencies, 0.99).toFixed(2)} frames_late_pct=${framesLatePct.toFixed(2)} engine_to_update_p99_ms=${percentile(toChart, 0.99).toFixed(2)}`;
  } finally {
    clearInterval(clock);
    await browser.close();
    await server.close();
    await engine.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchTickToPaint().then(
    (line) => console.log(line),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
