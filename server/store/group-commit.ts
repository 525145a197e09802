/**
 * Group commit, for every store: `add()` only queues; the adds of one turn of the event loop are
 * handed to `write` together (at most `maxBatch`), and each add's promise is settled once its
 * batch is durable. One fsync, or one round trip, then serves many signers, so durability does
 * not cost throughput.
 */
export interface Queued<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  maxBatch: number;
  /**
   * `true`: one batch at a time, the next gathering meanwhile, so batches grow with the load
   * (a database round trip). `false`: a batch each turn of the event loop, written at once (the
   * write, its fsync included, is synchronous).
   */
  serial: boolean;
}

export class GroupCommit<Item, Result> {
  private readonly queue: Queued<Item, Result>[] = [];
  private scheduled = false;
  private draining?: Promise<void>;

  constructor(
    /** Writes one batch and settles the promise of each of its items; never rejects. */
    private readonly write: (batch: Queued<Item, Result>[]) => Promise<void>,
    private readonly options: GroupCommitOptions,
  ) {}

  add(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Writes everything queued; resolves once it is written. */
  flush(): Promise<void> {
    if (this.options.serial) {
      this.draining ??= (async () => {
        while (this.queue.length) await this.write(this.take());
      })().finally(() => (this.draining = undefined));
      return this.draining;
    }
    const written: Promise<void>[] = [];
    while (this.queue.length) written.push(this.write(this.take()));
    return Promise.all(written).then(() => undefined);
  }

  private schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.options.serial) {
        void this.flush();
        return;
      }
      const batch = this.take();
      // Whatever is left goes in the next turn, so other requests are served in between.
      if (this.queue.length) this.schedule();
      if (batch.length) void this.write(batch);
    });
  }

  private take() {
    return this.queue.splice(0, this.options.maxBatch);
  }
}
