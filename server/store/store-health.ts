/**
 * Whether a store can write, and what it does when it cannot. Both stores run every database call
 * through their StoreHealth, with their own reading of what an error means (`classify`):
 *
 * - `unavailable`: the disk is full, the database is down, locked or read-only. That passes. The
 *   call is refused with StoreUnavailableError (answered 503 with Retry-After), and the store is
 *   unhealthy until a probe, a write that needs some room, succeeds: `/healthz` tries one each time
 *   it is asked, so the store comes back by itself once the disk or the database is back.
 * - `failed`: an fsync failed. The kernel may have dropped the pages it could not write, so what the
 *   disk holds is no longer known. The store refuses every write from then on, and tells its
 *   failure listeners, which stop the process, as PostgreSQL stops (data_sync_retry = off), to
 *   recover from its log at the next start.
 *
 * Any other error (a bug, a broken constraint) passes through as it is.
 */
export type StoreFault = 'unavailable' | 'failed';

/** The store cannot do this now; `fault` says whether that passes. The cause is the database's error. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';

  constructor(
    readonly fault: StoreFault,
    cause?: unknown,
  ) {
    super(fault === 'failed' ? 'The store could not make a write durable; it takes no more writes.' : 'The store cannot write just now.', {
      cause,
    });
  }
}

export type FailureListener = (error: StoreUnavailableError) => void;

export class StoreHealth {
  /** Since the last probe that succeeded. */
  private fault?: StoreFault;
  private readonly failureListeners = new Set<FailureListener>();

  constructor(private readonly classify: (error: unknown) => StoreFault | undefined) {}

  /** Runs a write; after a failure, refuses it at once. */
  async write<T>(run: () => T | Promise<T>): Promise<T> {
    if (this.fault === 'failed') throw new StoreUnavailableError('failed');
    return this.read(run);
  }

  /** Runs a read (or the probe, which is never refused). */
  async read<T>(run: () => T | Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.noted(error);
    }
  }

  /** What `error` means for the store, now noted: a StoreUnavailableError for a fault, or the error itself. */
  private noted(error: unknown): unknown {
    if (error instanceof StoreUnavailableError) return error;
    const fault = this.classify(error);
    if (!fault) return error;
    const refused = new StoreUnavailableError(fault, error);
    if (this.fault === 'failed') return refused;
    this.fault = fault;
    // Once the refused call has been answered.
    if (fault === 'failed') for (const listener of this.failureListeners) setImmediate(() => listener(refused));
    return refused;
  }

  /**
   * Healthy: nothing failed since the last probe and `ping` answers; or, after a fault that passes,
   * `probe` (a write) succeeds now. Never after a failure.
   */
  async healthy(ping: () => unknown, probe: () => unknown): Promise<boolean> {
    if (this.fault === 'failed') return false;
    try {
      if (this.fault) {
        await this.read(probe);
        if (this.fault === 'unavailable') this.fault = undefined;
      } else {
        await this.read(ping);
      }
      return true;
    } catch {
      return false;
    }
  }

  /** `listener` hears once, when the store fails for good. Returns an unsubscribe function. */
  onFailure(listener: FailureListener): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }
}
