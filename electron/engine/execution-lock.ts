/** Thrown into work whose lease was revoked because the flatten took the lock. */
export class LockRevokedError extends Error {
  constructor(owner: string) {
    super(`${owner} was pre-empted by the emergency flatten`);
    this.name = 'LockRevokedError';
  }
}

export class Lease {
  private revokedFlag = false;
  private releasedFlag = false;
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    readonly owner: string,
    private readonly onRelease: (lease: Lease) => void,
  ) {}

  get revoked(): boolean {
    return this.revokedFlag;
  }

  /** Call before every exchange request made under this lease. */
  assertHeld(): void {
    if (this.revokedFlag) throw new LockRevokedError(this.owner);
  }

  revoke(): void {
    this.revokedFlag = true;
  }

  /** True while a request made under this lease has not answered. */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Runs one exchange request under this lease, counting it until it answers. */
  async track<T>(request: () => Promise<T>): Promise<T> {
    this.inFlight += 1;
    try {
      return await request();
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  whenIdle(): Promise<void> {
    return this.busy ? new Promise((resolve) => this.idleWaiters.push(resolve)) : Promise.resolve();
  }

  release(): void {
    if (this.releasedFlag) return;
    this.releasedFlag = true;
    this.onRelease(this);
  }
}

/**
 * One lock shared by execution (approvals, moves, closes, the strategy loop)
 * and the emergency flatten. Ordinary work queues for it; the flatten seizes it
 * at once, revoking whoever holds it and turning away everyone waiting.
 */
export class ExecutionLock {
  private holder: Lease | null = null;
  private preempted = new Set<Lease>();
  private waiters: Array<{ lease: Lease; grant: () => void; refuse: (error: Error) => void }> = [];
  private seizures = 0;
  private settledWaiters: Array<() => void> = [];

  get flattening(): boolean {
    return this.seizures > 0;
  }

  /**
   * Resolves true once nothing holds the lock or waits for it (the engine's shutdown waits for
   * work in progress, a flatten included, before it closes the journal), or false after `timeoutMs`.
   */
  async settled(timeoutMs: number): Promise<boolean> {
    if (this.idle) return true;
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      new Promise<true>((resolve) => this.settledWaiters.push(() => resolve(true))),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    return result;
  }

  private get idle(): boolean {
    return this.holder === null && this.waiters.length === 0 && this.seizures === 0;
  }

  /** Waits for the lock. Refused while a flatten runs. */
  acquire(owner: string): Promise<Lease> {
    if (this.flattening) return Promise.reject(new LockRevokedError(owner));
    const lease = new Lease(owner, (l) => this.release(l));
    if (!this.holder) {
      this.holder = lease;
      return Promise.resolve(lease);
    }
    return new Promise((grant, refuse) => {
      this.waiters.push({ lease, grant: () => grant(lease), refuse });
    });
  }

  /** Runs `work` under the lock and always releases it. */
  async run<T>(owner: string, work: (lease: Lease) => Promise<T>): Promise<T> {
    const lease = await this.acquire(owner);
    try {
      return await work(lease);
    } finally {
      lease.release();
    }
  }

  /** Takes the lock now, whatever holds it. Nothing can veto this. */
  seize(owner: string): Lease {
    this.seizures += 1;
    if (this.holder) {
      this.holder.revoke();
      this.preempted.add(this.holder);
    }
    for (const waiter of this.waiters.splice(0)) waiter.refuse(new LockRevokedError(waiter.lease.owner));
    const lease = new Lease(owner, () => {
      this.seizures -= 1;
      if (this.holder === lease) this.holder = null;
      this.grantNext();
    });
    this.holder = lease;
    return lease;
  }

  /**
   * Waits, at most `timeoutMs`, for requests that pre-empted work had already sent
   * when the flatten took the lock: an order sent just before may land after the
   * flatten's last look. Returns how many pre-empted leases were still waiting on one.
   */
  async settlePreempted(timeoutMs: number): Promise<number> {
    const busy = [...this.preempted].filter((lease) => lease.busy);
    this.preempted.clear();
    if (busy.length === 0) return 0;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(busy.map((lease) => lease.whenIdle())),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    return busy.length;
  }

  private release(lease: Lease): void {
    if (this.holder !== lease) return;
    this.holder = null;
    this.grantNext();
  }

  private grantNext(): void {
    if (this.idle) for (const wake of this.settledWaiters.splice(0)) wake();
    if (this.holder || this.flattening) return;
    const next = this.waiters.shift();
    if (!next) return;
    this.holder = next.lease;
    next.grant();
  }
}
