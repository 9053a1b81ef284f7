import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nodeDisk } from './persistence/disk';
import { Journal, UNREADABLE_LINE } from './journal';
import { FailingDisk, WRITE_FAILURES } from './testing/failing-disk';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const liveFile = (dir: string) => path.join(dir, 'journal.jsonl');
const linesOf = (text: string) => text.split('\n').filter(Boolean);

describe('journal', () => {
  it('has the entry on disk by the time record returns', () => {
    const dir = tempDir();
    const journal = new Journal({ dir, now: () => 1000 });
    journal.record('order.request', { clientOrderId: 'ck-1-e-0' });
    const onDisk = fs.readFileSync(liveFile(dir), 'utf8');
    expect(JSON.parse(onDisk.trim())).toEqual({ seq: 1, time: 1000, type: 'order.request', data: { clientOrderId: 'ck-1-e-0' } });
    journal.close();
  });

  it('fsyncs the file it wrote each entry to, after the write and before record returns', () => {
    const journal = new Journal({ dir: tempDir() });
    const steps: string[] = [];
    const write = fs.writeSync.bind(fs) as (fd: number, text: string) => number;
    const sync = fs.fsyncSync.bind(fs);
    vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, text: string) => {
      steps.push(`write ${fd}`);
      return write(fd, text);
    }) as typeof fs.writeSync);
    vi.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
      steps.push(`fsync ${fd}`);
      sync(fd);
    });
    journal.record('order.request', { clientOrderId: 'ck-1-e-1' });
    steps.push('returned');
    journal.record('order.response', { clientOrderId: 'ck-1-e-1' });
    steps.push('returned');
    const fd = /^write (\d+)$/.exec(steps[0]!)![1];
    expect(steps).toEqual([`write ${fd}`, `fsync ${fd}`, 'returned', `write ${fd}`, `fsync ${fd}`, 'returned']);
    journal.close();
  });

  it('refuses to record once closed, instead of writing to a file descriptor that may now be another file', () => {
    const journal = new Journal({ dir: tempDir() });
    journal.close();
    expect(() => journal.record('reconcile.error', {})).toThrow('The journal is closed: "reconcile.error" was not recorded');
  });

  it('takes a late background report after it closed without throwing, and writes it to stderr instead', () => {
    const dir = tempDir();
    const journal = new Journal({ dir });
    journal.report('reconcile.error', { error: 'while open' });
    journal.close();
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => journal.report('market-data.error', { message: 'after close' })).not.toThrow();
    expect(stderr).toHaveBeenCalledWith('journal: "market-data.error" arrived after the journal closed', { message: 'after close' });
    expect(linesOf(fs.readFileSync(liveFile(dir), 'utf8')).map((l) => JSON.parse(l).type)).toEqual(['reconcile.error']);
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

  it('ends a torn last line on open: the torn bytes are moved aside and journalled, and the journal tails on', async () => {
    const dir = tempDir();
    const journal = new Journal({ dir, now: () => 5_000 });
    journal.record('a', 1);
    journal.close();
    fs.appendFileSync(liveFile(dir), '{"seq":2,"ti');
    const reopened = new Journal({ dir, now: () => 6_000 });
    expect(reopened.record('b', 2).seq).toBe(3);
    expect(reopened.tail().map((e) => [e.seq, e.type])).toEqual([
      [1, 'a'],
      [2, 'journal.repaired'],
      [3, 'b'],
    ]);
    const repaired = reopened.tail(10, 'journal.repaired')[0]!.data as { bytes: number; text: string; savedTo: string };
    expect(repaired).toMatchObject({ bytes: 12, text: '{"seq":2,"ti' });
    expect(fs.readFileSync(path.join(dir, repaired.savedTo), 'utf8')).toBe('{"seq":2,"ti');
    expect(linesOf(fs.readFileSync(liveFile(dir), 'utf8')).map((l) => JSON.parse(l).type)).toEqual(['a', 'journal.repaired', 'b']);
    expect(linesOf(await reopened.export()).map((l) => JSON.parse(l).seq)).toEqual([1, 2, 3]);
    reopened.close();
  });

  it('keeps a last entry that lost only its newline', () => {
    const dir = tempDir();
    fs.writeFileSync(liveFile(dir), '{"seq":1,"time":1,"type":"a","data":null}');
    const journal = new Journal({ dir });
    journal.record('b', null);
    expect(journal.tail().map((e) => e.type)).toEqual(['a', 'b']);
    journal.close();
  });

  it('tail and export give an unreadable line as an entry of its own, in its place, and read on past it', async () => {
    const dir = tempDir();
    const merged = '{"seq":2,"ti{"seq":2,"time":2,"type":"b","data":null}';
    fs.writeFileSync(liveFile(dir), ['{"seq":1,"time":1,"type":"a","data":null}', merged, '{"seq":3,"time":3,"type":"c","data":null}', ''].join('\n'));
    const journal = new Journal({ dir });
    const tail = journal.tail();
    expect(tail.map((e) => e.type)).toEqual(['a', UNREADABLE_LINE, 'c']);
    expect(tail[1]).toMatchObject({ seq: 1.001, time: 1, data: { file: 'journal.jsonl', line: 2, text: merged } });
    expect(journal.tail(10, 'unreadable').map((e) => e.type)).toEqual([UNREADABLE_LINE]);
    const exported = linesOf(await journal.export()).map((l) => JSON.parse(l));
    expect(exported.map((e) => e.type)).toEqual(['a', UNREADABLE_LINE, 'c']);
    expect(exported[1].data.text).toBe(merged);
    journal.close();
  });

  it('rotates past the size limit and still tails and exports across files, oldest first', async () => {
    const dir = tempDir();
    let clock = 0;
    const journal = new Journal({ dir, maxBytes: 200, now: () => ++clock });
    for (let i = 0; i < 20; i++) journal.record('tick', { i, pad: 'x'.repeat(40) });
    const rotated = fs.readdirSync(dir).filter((f) => f.startsWith('journal-'));
    expect(rotated.length).toBeGreaterThan(1);
    expect(journal.tail(5).map((e) => (e.data as { i: number }).i)).toEqual([15, 16, 17, 18, 19]);
    const exported = (await journal.export()).trim().split('\n').map((l) => JSON.parse(l).seq);
    expect(exported).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    journal.close();
  });

  it('keeps the newest rotated files up to its bound, deletes older ones and journals what it deleted', async () => {
    const dir = tempDir();
    let clock = 0;
    const journal = new Journal({ dir, maxBytes: 200, maxRotatedFiles: 3, now: () => ++clock });
    for (let i = 0; i < 40; i++) journal.record('tick', { i, pad: 'x'.repeat(40) });
    const rotated = fs.readdirSync(dir).filter((f) => /^journal-\d+-\d+\.jsonl$/.test(f));
    expect(rotated).toHaveLength(3);
    const pruned = journal.tail(1000, 'journal.pruned').flatMap((e) => (e.data as { files: string[] }).files);
    expect(pruned.length).toBeGreaterThan(0);
    for (const name of pruned) expect(fs.existsSync(path.join(dir, name))).toBe(false);
    expect(journal.tail(3).filter((e) => e.type === 'tick').at(-1)!.data).toMatchObject({ i: 39 });
    const seqs = linesOf(await journal.export()).map((l) => JSON.parse(l).seq as number);
    expect(seqs, 'only whole files from the oldest end are gone').toEqual(seqs.map((_, i) => seqs[0]! + i));
    journal.close();
  });

  it('keeps 20 rotated files unless told otherwise', () => {
    const dir = tempDir();
    let clock = 0;
    const journal = new Journal({ dir, maxBytes: 100, now: () => ++clock });
    for (let i = 0; i < 60; i++) journal.record('tick', { i, pad: 'x'.repeat(60) });
    expect(fs.readdirSync(dir).filter((f) => /^journal-\d+-\d+\.jsonl$/.test(f))).toHaveLength(20);
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

  describe.each(WRITE_FAILURES)('when the disk refuses a write with %s', (code) => {
    it('throws that error, leaves the file as it was, and writes the next entry once the disk takes it', () => {
      const dir = tempDir();
      const failing = new FailingDisk();
      const journal = new Journal({ dir, disk: failing.disk });
      journal.record('a', 1);
      failing.fail(code, { calls: ['writeSync'] });
      expect(() => journal.record('order.request', { clientOrderId: 'x' })).toThrow(code);
      failing.heal();
      expect(journal.record('b', 2).seq).toBe(2);
      expect(linesOf(fs.readFileSync(liveFile(dir), 'utf8')).map((l) => JSON.parse(l).type)).toEqual(['a', 'b']);
      journal.close();
    });
  });

  it('cuts off the part of a line a full disk took before it refused the rest', () => {
    const dir = tempDir();
    const failing = new FailingDisk();
    let calls = 0;
    const disk = new Proxy(failing.disk, {
      get: (target, key) =>
        key === 'writeSync'
          ? (fd: number, buffer: Buffer, offset: number) => {
              if (++calls === 1) return fs.writeSync(fd, buffer, offset, 10);
              throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
            }
          : Reflect.get(target, key),
    });
    const journal = new Journal({ dir, disk });
    expect(() => journal.record('a', { pad: 'x'.repeat(50) })).toThrow('ENOSPC');
    expect(fs.readFileSync(liveFile(dir), 'utf8')).toBe('');
    journal.close();
  });

  it.each(WRITE_FAILURES)('keeps writing to its file when rotation is refused (%s): reports it, and rotates once the disk allows', async (code) => {
    const dir = tempDir();
    const failing = new FailingDisk();
    let clock = 0;
    const journal = new Journal({ dir, maxBytes: 300, now: () => ++clock, disk: failing.disk });
    failing.fail(code, { calls: ['renameSync'] });
    for (let i = 0; i < 6; i++) journal.record('tick', { i, pad: 'x'.repeat(40) });
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('journal-'))).toEqual([]);
    const failure = journal.tail(100, 'journal.rotate.failed');
    expect(failure.length).toBeGreaterThan(0);
    expect((failure[0]!.data as { error: string }).error).toContain(code);
    failing.heal();
    for (let i = 6; i < 12; i++) journal.record('tick', { i, pad: 'x'.repeat(40) });
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('journal-')).length).toBeGreaterThan(0);
    const seqs = linesOf(await journal.export()).map((l) => JSON.parse(l).seq as number);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(journal.tail(1)[0]!.seq).toBe(seqs.at(-1));
    journal.close();
  });

  it('keeps writing to its file when the new file cannot be opened after the rename, and puts the name back', () => {
    const dir = tempDir();
    const failing = new FailingDisk();
    const journal = new Journal({ dir, maxBytes: 200, now: () => 7, disk: failing.disk });
    failing.fail('EPERM', { calls: ['openSync'] });
    for (let i = 0; i < 4; i++) journal.record('tick', { i, pad: 'x'.repeat(40) });
    failing.heal();
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('journal-'))).toEqual([]);
    expect(linesOf(fs.readFileSync(liveFile(dir), 'utf8')).filter((l) => JSON.parse(l).type === 'tick')).toHaveLength(4);
    journal.close();
  });

  it('bounds what the tail reads: a filter that matches only old entries finds nothing past the newest bytes it scans', () => {
    const journal = new Journal({ dir: tempDir() });
    journal.record('needle.old', { pad: 'x'.repeat(100) });
    for (let i = 0; i < 50; i++) journal.record('tick', { i, pad: 'x'.repeat(100) });
    expect(journal.tail(10, 'needle').map((e) => e.type)).toEqual(['needle.old']);
    expect(journal.tail(10, 'needle', 2_000)).toEqual([]);
    expect(journal.tail(3, undefined, 2_000).map((e) => (e.data as { i: number }).i)).toEqual([47, 48, 49]);
    journal.close();
  });

  it('exports in chunks, letting the engine run between them, with every line whole across chunk boundaries', async () => {
    const dir = tempDir();
    // writing 6,000 lines with an fsync each takes long on a loaded machine; what is on disk is the same without
    const unsynced = { ...nodeDisk, fsyncSync: () => undefined };
    const journal = new Journal({ dir, maxBytes: 300 * 1024, disk: unsynced });
    for (let i = 0; i < 6_000; i++) journal.record('tick', { i, text: 'é€✓'.repeat(20) });
    let ranBetween = 0;
    const exporting = journal.export();
    const timer = setInterval(() => (ranBetween += 1), 0);
    const chunks: string[] = [];
    for await (const chunk of journal.exportChunks()) chunks.push(chunk);
    const content = await exporting;
    clearInterval(timer);
    expect(chunks.length).toBeGreaterThan(2);
    expect(ranBetween).toBeGreaterThan(0);
    const entries = linesOf(content).map((l) => JSON.parse(l));
    expect(entries.map((e) => e.data.i)).toEqual(Array.from({ length: 6_000 }, (_, i) => i));
    expect(entries.every((e) => e.data.text === 'é€✓'.repeat(20))).toBe(true);
    expect(chunks.join('')).toBe(content);
    journal.close();
  });
});
