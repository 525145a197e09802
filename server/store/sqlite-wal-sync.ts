/**
 * Makes SQLite commits durable: `durable()`, called right after a COMMIT, resolves once an fsync
 * of the WAL that began after that commit has finished. The database runs with
 * `synchronous=NORMAL`, under which SQLite still syncs the WAL before each checkpoint, the
 * database file after it, and the WAL header when the WAL is reused; only the fsync at each
 * commit is left to this class. Acknowledging only after `durable()` gives the guarantee of
 * `synchronous=FULL`.
 *
 * Where the disk syncs fast (a median of up to 4 ms over 16 syncs; local SSDs take well under
 * 1 ms), the fsync runs on the event loop, right after the commit: the loop waits that long, but
 * on a busy machine the hop to libuv's thread pool and back costs more than the sync itself
 * (measured here under load: about 1 ms per round trip against 0.45 ms on the loop, and signing
 * at 50 connections 13-16% slower). Where it is slow (spinning disks, some network disks), the
 * fsync goes to the thread pool, so that requests that do not write are not held up: one at a
 * time, the commits made while it runs sharing the next one. After PROBE_MS there, the disk is
 * measured on the loop again.
 */
import { close, fdatasync, fdatasyncSync, openSync } from 'node:fs';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface WalSyncOptions {
  /** The median fsync time up to which syncs run on the event loop; 0: never on the loop. */
  onLoopUpToMs?: number;
  now?: () => number;
}

/** How many syncs on the loop one median is taken over. */
const WINDOW = 16;
/** How long a slow disk's syncs stay off the loop before they are measured again. */
const PROBE_MS = 10_000;

export class WalSync {
  private fd?: number;
  private syncing?: Promise<void>;
  /** Commits that no fsync begun so far covers. */
  private waiting: Waiter[] = [];
  private readonly onLoopUpToMs: number;
  private readonly now: () => number;
  /** Durations of the syncs on the loop since the last median. */
  private readonly timings: number[] = [];
  /** While syncs go to the thread pool: when to try the loop again. */
  private offLoopUntil = -Infinity;

  /** `walFile`: the database's `-wal` file; it exists from the first commit until the database closes. */
  constructor(
    private readonly walFile: string,
    { onLoopUpToMs = 4, now = () => performance.now() }: WalSyncOptions = {},
  ) {
    this.onLoopUpToMs = onLoopUpToMs;
    this.now = now;
  }

  /** Syncs go to the thread pool (measured slow, or never on the loop). */
  get offLoop(): boolean {
    return this.onLoopUpToMs <= 0 || this.now() < this.offLoopUntil;
  }

  /** Resolves once every commit made before this call is on disk. */
  durable(): Promise<void> {
    if (!this.syncing && !this.offLoop) {
      try {
        this.syncOnLoop();
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.syncing ??= this.syncWhileWaiting();
    });
  }

  /** Waits for the fsync under way, then closes the file. Call before closing the database. */
  async close() {
    await this.syncing;
    if (this.fd !== undefined) await new Promise((resolve) => close(this.fd!, resolve));
    this.fd = undefined;
  }

  /** The WAL, opened once. r+: some systems fsync only files opened for writing; nothing is written through it. */
  private walFd(): number {
    return (this.fd ??= openSync(this.walFile, 'r+'));
  }

  // Both ways use fdatasync, as SQLite's own sync does where the system has it: the data and the
  // file's size reach the disk, its timestamps need not, which saves a journal commit each time.
  private syncOnLoop() {
    const fd = this.walFd();
    const start = this.now();
    fdatasyncSync(fd);
    this.timings.push(this.now() - start);
    if (this.timings.length < WINDOW) return;
    const median = this.timings.sort((a, b) => a - b)[WINDOW / 2]!;
    this.timings.length = 0;
    if (median > this.onLoopUpToMs) this.offLoopUntil = this.now() + PROBE_MS;
  }

  private async syncWhileWaiting() {
    while (this.waiting.length) {
      const covered = this.waiting;
      this.waiting = [];
      try {
        const fd = this.walFd();
        await new Promise<void>((resolve, reject) => fdatasync(fd, (e) => (e ? reject(e) : resolve())));
        for (const waiter of covered) waiter.resolve();
      } catch (error) {
        for (const waiter of covered) waiter.reject(error);
      }
    }
    this.syncing = undefined;
  }
}
