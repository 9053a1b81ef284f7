import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DataDiskStatus } from '../../../shared/domain';
import { FailingDisk } from '../testing/failing-disk';
import { DataDiskHealth, writeFailureCause } from './data-disk-health';

function watched() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'disk-health-'));
  const failing = new FailingDisk();
  let clock = 1_000;
  const health = new DataDiskHealth(failing.disk, { dataDir, now: () => clock });
  const changes: DataDiskStatus[] = [];
  health.onChange((status) => changes.push(status));
  const write = (disk: ReturnType<typeof health.watch>, name: string) => disk.writeFileSync(path.join(dataDir, name), 'x');
  return { dataDir, failing, health, changes, write, tick: (ms: number) => (clock += ms) };
}

describe('data disk health', () => {
  it('names the cause and every concern that cannot be written, from when writes began to fail', () => {
    const { failing, health, changes, write, tick } = watched();
    const journal = health.watch('the journal');
    const ledger = health.watch('the execution ledger');
    failing.fail('ENOSPC');
    expect(() => write(journal, 'a')).toThrow('ENOSPC');
    tick(5);
    expect(() => write(ledger, 'b')).toThrow('ENOSPC');
    expect(health.status()).toEqual({
      writable: false,
      code: 'ENOSPC',
      concerns: ['the journal', 'the execution ledger'],
      message: 'Data disk full: the journal and the execution ledger cannot be written',
      since: 1_000,
    });
    expect(changes.map((c) => c.message)).toEqual(['Data disk full: the journal cannot be written', 'Data disk full: the journal and the execution ledger cannot be written']);
    expect(() => write(journal, 'c')).toThrow('ENOSPC');
    expect(changes, 'the same failure again changes nothing').toHaveLength(2);
  });

  it('is writable again once that concern writes, or once the probe finds the disk takes data', () => {
    const { failing, health, changes, write } = watched();
    const journal = health.watch('the journal');
    const trades = health.watch('the closed trades');
    failing.fail('EIO');
    expect(() => write(journal, 'a')).toThrow('EIO');
    expect(() => write(trades, 'b')).toThrow('EIO');
    failing.heal();
    write(journal, 'a');
    expect(health.status()).toMatchObject({ writable: false, concerns: ['the closed trades'], message: 'Data disk input/output error: the closed trades cannot be written' });
    failing.fail('EIO');
    expect(health.probe()).toBe(false);
    failing.heal();
    expect(health.probe()).toBe(true);
    expect(health.status()).toEqual({ writable: true, code: null, concerns: [], message: null, since: null });
    expect(changes.at(-1)).toMatchObject({ writable: true });
  });

  it('says the cause in words for each kind of failure', () => {
    expect(writeFailureCause('EROFS', '')).toBe('Data disk is read-only');
    expect(writeFailureCause('EACCES', '')).toBe('Data folder not writable (permission denied)');
    expect(writeFailureCause('EDQUOT', '')).toBe('Data disk quota exceeded');
    expect(writeFailureCause(null, 'something odd')).toBe('Data folder cannot be written (something odd)');
  });
});
