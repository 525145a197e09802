/**
 * Makes SQLite commits durable without stopping the event loop for each fsync.
 *
 * better-sqlite3 is synchronous: with `synchronous=FULL` every COMMIT waits for an fsync of the
 * WAL on the main thread, and no request is served meanwhile. Instead the database runs with
 * `synchronous=NORMAL`, under which SQLite still syncs the WAL before each checkpoint, the
 * database file after it, and the WAL header when the WAL is reused; only the fsync at each
 * commit is left out. This class does that fsync on libuv's thread pool: `durable()`, called
 * right after a COMMIT, resolves once an fsync of the WAL that began after that commit has
 * finished. One fsync at a time; the commits made while it runs share the next one.
 * Acknowledging only after `durable()` gives the guarantee of `synchronous=FULL`.
 */
import { close, fdatasync, open } from 'node:fs';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class WalSync {
  private fd?: number;
  private syncing?: Promise<void>;
  /** Commits that no fsync begun so far covers. */
  private waiting: Waiter[] = [];

  /** `walFile`: the database's `-wal` file; it exists from the first commit until the database closes. */
  constructor(private readonly walFile: string) {}

  /** Resolves once every commit made before this call is on disk. */
  durable(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.syncing) this.syncing = this.syncWhileWaiting();
    });
  }

  /** Waits for the fsync under way, then closes the file. Call before closing the database. */
  async close() {
    await this.syncing;
    if (this.fd !== undefined) await new Promise((resolve) => close(this.fd!, resolve));
    this.fd = undefined;
  }

  private async syncWhileWaiting() {
    while (this.waiting.length) {
      const covered = this.waiting;
      this.waiting = [];
      try {
        // r+: some systems fsync only files opened for writing. Nothing is written through it.
        this.fd ??= await new Promise<number>((resolve, reject) => open(this.walFile, 'r+', (e, fd) => (e ? reject(e) : resolve(fd))));
        // fdatasync, as SQLite's own sync does where the system has it: the data and the file's
        // size reach the disk, its timestamps need not, which saves a journal commit each time.
        await new Promise<void>((resolve, reject) => fdatasync(this.fd!, (e) => (e ? reject(e) : resolve())));
        for (const waiter of covered) waiter.resolve();
      } catch (error) {
        for (const waiter of covered) waiter.reject(error);
      }
    }
    this.syncing = undefined;
  }
}
