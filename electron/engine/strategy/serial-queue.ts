/** Runs tasks one after another; `push` never waits, and a failing task does not stop the next. */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  get size(): number {
    return this.pending;
  }

  push(task: () => Promise<void> | void): void {
    this.pending += 1;
    this.tail = this.tail
      .then(task)
      .catch(() => undefined)
      .finally(() => {
        this.pending -= 1;
      });
  }

  /** Resolves once every task pushed so far has run. */
  idle(): Promise<void> {
    return this.tail;
  }
}
