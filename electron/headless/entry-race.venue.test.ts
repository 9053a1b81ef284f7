import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Proposal } from '../../shared/domain';
import { WebSocketCockpitClient, type SocketLike } from '../../renderer/src/transport/ws-client';
import { defaultMarkets } from '../engine/sim/markets';
import { createSimExchange } from '../engine/sim/sim-exchange';
import { venue, venueEngine } from '../engine/testing/venue-engine';
import { startHeadlessServer } from './server';

const BTC = 'BTC/USDT:USDT';
const START = Date.UTC(2025, 0, 1);

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await Promise.resolve(c()).catch(() => undefined);
  cleanup = [];
});

describe('two clients racing for one symbol, through the headless server against the venue', () => {
  it('two tickets created and approved at once from two WebSocket clients give at most one entry, covered by one stop for its full size', async () => {
    const sim = createSimExchange({ markets: defaultMarkets(), feed: { next: () => ({ price: 60_000, volume: 1 }) }, startTime: START, startBalance: 10_000, seed: 3 });
    sim.advanceTo(START + 60 * 60_000);
    const v = await venue({ exchange: sim });
    cleanup.push(() => v.close());
    const { engine } = venueEngine(v);
    cleanup.push(() => engine.stop());
    await engine.start();
    const staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-race-static-'));
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>cockpit</title>');
    const server = await startHeadlessServer({ handlers: engine.handlers, bus: engine.bus, staticDir, port: 0 });
    cleanup.push(() => server.close());
    const origin = `http://127.0.0.1:${server.port}`;
    const clients = [0, 1].map(() => {
      const client = new WebSocketCockpitClient({ url: server.wsUrl, createSocket: (url) => new WebSocket(url, { origin }) as unknown as SocketLike });
      cleanup.push(() => client.close());
      return client;
    });

    const ticket = { symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 } as const;
    const created = await Promise.all(clients.map((c) => c.invoke('proposal.create', ticket)));
    const ids = created.flatMap((r) => (r.ok ? [(r.value as Proposal).id] : []));
    expect(ids.length, JSON.stringify(created)).toBeGreaterThan(0);
    // Each client approves every proposal either got, all at once.
    const approvals = await Promise.all(clients.flatMap((c) => ids.map((id) => c.invoke('proposal.approve', { id }))));
    expect(approvals.filter((r) => r.ok)).toHaveLength(1);

    const entryFills = sim.fills().filter((f) => /^ck-[a-z0-9]+-e-\d+$/.test(f.clientOrderId));
    expect(new Set(entryFills.map((f) => f.orderId)).size).toBe(1);
    const held = sim.positions().find((p) => p.symbol === BTC)!;
    const stops = sim.openOrders(BTC, 'all').filter((o) => o.type === 'STOP_MARKET');
    expect(stops.map((o) => [o.side, o.reduceOnly, o.origQty])).toEqual([['SELL', true, Math.abs(held.positionAmt)]]);
  }, 60_000);
});
