import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from './journal';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('journal', () => {
  it('has the entry on disk by the time record returns', () => {
    const dir = tempDir();
    const journal = new Journal({ dir, now: () => 1000 });
    journal.record('order.request', { clientOrderId: 'ck-1-e-0' });
    const onDisk = fs.readFileSync(path.join(dir, 'journal.jsonl'), 'utf8');
    expect(JSON.parse(onDisk.trim())).toEqual({ seq: 1, time: 1000, type: 'order.request', data: { clientOrderId: 'ck-1-e-0' } });
    journal.close();
  });

  it('only appends: a reopened journal continues the sequence after what is there', () => {
    const dir = tempDir();
    const first = new Journal({ dir });
    first.record('a', 1);
    first.record('b', 2);
    first.close();
    const second = new Journal({ dir });
    expect(second.record('c', 3).seq).toBe(3);
    expect(second.tail().map((e) => e.type)).toEqual(['a', 'b', 'c']);
    second.close();
  });

  it('survives a torn last line from a crash', () => {
    const dir = tempDir();
    const journal = new Journal({ dir });
    journal.record('a', 1);
    journal.close();
    fs.appendFileSync(path.join(dir, 'journal.jsonl'), '{"seq":2,"ti');
    const reopened = new Journal({ dir });
    expect(reopened.record('b', 2).seq).toBe(2);
    reopened.close();
  });

  it('rotates past the size limit and still tails and exports across files, oldest first', () => {
    const dir = tempDir();
    let clock = 0;
    const journal = new Journal({ dir, maxBytes: 200, now: () => ++clock });
    for (let i = 0; i < 20; i++) journal.record('tick', { i, pad: 'x'.repeat(40) });
    const rotated = fs.readdirSync(dir).filter((f) => f.startsWith('journal-'));
    expect(rotated.length).toBeGreaterThan(1);
    expect(journal.tail(5).map((e) => (e.data as { i: number }).i)).toEqual([15, 16, 17, 18, 19]);
    const exported = journal.export().trim().split('\n').map((l) => JSON.parse(l).seq);
    expect(exported).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    journal.close();
  });

  it('filters the tail by type or content, case-insensitively', () => {
    const journal = new Journal({ dir: tempDir() });
    journal.record('order.request', { symbol: 'BTC/USDT:USDT' });
    journal.record('breaker.trip', { id: 'daily-loss' });
    journal.record('order.response', { symbol: 'ETH/USDT:USDT' });
    expect(journal.tail(10, 'ORDER').map((e) => e.type)).toEqual(['order.request', 'order.response']);
    expect(journal.tail(10, 'eth/usdt').map((e) => e.type)).toEqual(['order.response']);
    journal.close();
  });

  it('tells listeners about each entry after it is written', () => {
    const seen: number[] = [];
    const journal = new Journal({ dir: tempDir(), onEntry: (e) => seen.push(e.seq) });
    journal.record('a', null);
    journal.record('b', null);
    expect(seen).toEqual([1, 2]);
    journal.close();
  });
});
