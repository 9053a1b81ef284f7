import { describe, expect, it } from 'vitest';
import { ExecutionLock, LockRevokedError } from './execution-lock';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('execution lock', () => {
  it('runs ordinary work one at a time, in order', async () => {
    const lock = new ExecutionLock();
    const order: string[] = [];
    const work = (name: string) =>
      lock.run(name, async () => {
        order.push(`${name}:start`);
        await tick();
        order.push(`${name}:end`);
      });
    await Promise.all([work('a'), work('b'), work('c')]);
    expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
  });

  it('is settled once nothing holds or waits for it, a flatten included, and says so when it waited in vain', async () => {
    const lock = new ExecutionLock();
    expect(await lock.settled(10)).toBe(true);
    const holder = await lock.acquire('an approval');
    let finishClose!: () => void;
    const queued = lock.run('a close', () => new Promise<void>((resolve) => (finishClose = resolve)));
    let settled: boolean | null = null;
    void lock.settled(5_000).then((s) => (settled = s));
    holder.release();
    await tick();
    expect(settled, 'the queued close still runs').toBe(null);
    finishClose();
    await queued;
    await tick();
    expect(settled).toBe(true);

    const flatten = lock.seize('flatten');
    expect(await lock.settled(20)).toBe(false);
    flatten.release();
    expect(await lock.settled(20)).toBe(true);
  });

  it('lets the flatten take the lock from a holder that never returns', async () => {
    const lock = new ExecutionLock();
    const holder = await lock.acquire('strategy');
    const flatten = lock.seize('flatten');
    expect(holder.revoked).toBe(true);
    expect(() => holder.assertHeld()).toThrow(LockRevokedError);
    expect(() => flatten.assertHeld()).not.toThrow();
    flatten.release();
  });

  it('turns away waiting and new work while the flatten runs, and serves new work after it', async () => {
    const lock = new ExecutionLock();
    const holder = await lock.acquire('approve');
    const waiting = lock.acquire('move-stop');
    const flatten = lock.seize('flatten');
    await expect(waiting).rejects.toBeInstanceOf(LockRevokedError);
    await expect(lock.acquire('close')).rejects.toBeInstanceOf(LockRevokedError);
    holder.release();
    expect(lock.flattening).toBe(true);
    flatten.release();
    expect(lock.flattening).toBe(false);
    const after = await lock.acquire('approve-again');
    expect(after.revoked).toBe(false);
    after.release();
  });

  it('a second flatten while one runs also proceeds', () => {
    const lock = new ExecutionLock();
    const first = lock.seize('flatten-1');
    const second = lock.seize('flatten-2');
    expect(first.revoked).toBe(true);
    expect(() => second.assertHeld()).not.toThrow();
    first.release();
    expect(lock.flattening).toBe(true);
    second.release();
    expect(lock.flattening).toBe(false);
  });

  it('releases the lock when the work throws', async () => {
    const lock = new ExecutionLock();
    await expect(lock.run('boom', async () => Promise.reject(new Error('exchange down')))).rejects.toThrow('exchange down');
    const next = await lock.acquire('next');
    next.release();
  });

  it('lets the flatten wait for a request the pre-empted holder had already sent', async () => {
    const lock = new ExecutionLock();
    const holder = await lock.acquire('approve');
    let answer!: () => void;
    const request = holder.track(() => new Promise<void>((resolve) => (answer = resolve)));
    const flatten = lock.seize('flatten');
    let settled: number | null = null;
    const waiting = lock.settlePreempted(5_000).then((n) => (settled = n));
    await tick();
    expect(settled).toBeNull();
    answer();
    await request;
    await waiting;
    expect(settled).toBe(1);
    expect(await lock.settlePreempted(5_000)).toBe(0);
    flatten.release();
  });

  it('does not wait when the pre-empted holder had nothing in flight, nor forever on a request that never answers', async () => {
    const lock = new ExecutionLock();
    await lock.acquire('idle');
    lock.seize('flatten');
    expect(await lock.settlePreempted(5_000)).toBe(0);
    const second = new ExecutionLock();
    const stuck = await second.acquire('stuck');
    void stuck.track(() => new Promise<never>(() => {}));
    second.seize('flatten');
    expect(await second.settlePreempted(20)).toBe(1);
  });
});
