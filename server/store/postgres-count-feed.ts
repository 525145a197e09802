/**
 * The live count across processes. A commit that changes a campaign's count sends
 * `NOTIFY cohesion_count, '<campaign>'` (in its transaction, so only once it is committed);
 * every process LISTENs on a connection of its own, re-reads that count and tells its `onCount`
 * listeners. A notification can be missed (the LISTEN connection drops, the database restarts):
 * every RESYNC_MS the counts this process knows are re-read, and the connection is made again.
 *
 * Counts arrive out of order (a commit's own answer, a notification, a read that started
 * earlier), so each carries its counter's `version`, and only a newer one is passed on.
 *
 * While it listens, the feed also answers `count()` from memory: this process's own commits
 * and every notification keep what it knows current, and the resync bounds how stale it can get
 * if notifications stop. That spares a query per signature and per count request.
 */
import pg from 'pg';
import type { CountListeners } from './count-listeners.js';

export const COUNT_CHANNEL = 'cohesion_count';
const RESYNC_MS = 10_000;

export interface VersionedCount {
  count: number;
  /** Rises with every change of the count; 0 before the first. */
  version: number;
}

export interface CountFeedOptions {
  /** A new client for the LISTEN connection, not yet connected. */
  newClient: () => pg.Client;
  /** Reads the counts of these campaigns; a campaign without a counter row may be left out. */
  readCounts: (campaigns: string[]) => Promise<Map<string, VersionedCount>>;
  listeners: CountListeners;
  resyncMs?: number;
}

export class PostgresCountFeed {
  /** The newest count this process has seen of each campaign it was asked about. */
  private readonly known = new Map<string, VersionedCount>();
  private readonly stale = new Set<string>();
  /** The read under way; resolves to whether everything stale was read. */
  private refreshing?: Promise<boolean>;
  private client?: pg.Client;
  /** Listening, and caught up since the LISTEN began: what `known` holds is current. */
  private live = false;
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: CountFeedOptions) {}

  /**
   * A count this process read or committed. The first one seen of a campaign is only noted, as
   * the baseline that later ones are compared with, unless a commit here has just changed it.
   */
  observe(campaign: string, counted: VersionedCount, { committed = false } = {}) {
    const known = this.known.get(campaign);
    if (known && counted.version <= known.version) return;
    this.known.set(campaign, counted);
    if (known || committed) this.options.listeners.emit(campaign, counted.count);
  }

  /**
   * The count of a campaign as this process knows it, when that is current; otherwise undefined.
   * Notifications are followed only while someone listens, so only then is it kept current.
   */
  current(campaign: string): number | undefined {
    return this.live && this.options.listeners.size ? this.known.get(campaign)?.count : undefined;
  }

  /** Starts listening, once there is someone to tell. */
  start() {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => (this.client ? this.resync() : void this.listen()), this.options.resyncMs ?? RESYNC_MS);
    this.timer.unref();
    void this.listen();
  }

  async close() {
    this.closed = true;
    this.live = false;
    clearInterval(this.timer);
    await this.refreshing;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async listen() {
    if (this.client || this.closed) return;
    const client = this.options.newClient();
    this.client = client;
    // Once lost, the connection is made again at the next resync tick.
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', ({ payload }) => payload && this.heard(payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${COUNT_CHANNEL}`);
    } catch {
      this.lost(client);
      return;
    }
    // What changed while nobody was listening; once read, what `known` holds is current.
    this.resync();
    const caughtUp = (await this.refreshing) ?? true;
    if (caughtUp && this.client === client) this.live = true;
  }

  private lost(client: pg.Client) {
    if (this.client !== client) return;
    this.client = undefined;
    this.live = false;
    void client.end().catch(() => undefined);
  }

  /** A campaign's count changed somewhere: re-read it if anyone here is watching it. */
  private heard(campaign: string) {
    if (!this.known.has(campaign) || !this.options.listeners.size) return;
    this.stale.add(campaign);
    this.refresh();
  }

  private resync() {
    if (!this.options.listeners.size) return;
    for (const campaign of this.known.keys()) this.stale.add(campaign);
    this.refresh();
  }

  /** One read at a time; whatever turns stale meanwhile is read together next. */
  private refresh() {
    if (this.refreshing || !this.stale.size || this.closed) return;
    this.refreshing = (async () => {
      while (this.stale.size && !this.closed) {
        const campaigns = [...this.stale];
        this.stale.clear();
        try {
          const counts = await this.options.readCounts(campaigns);
          for (const campaign of campaigns) this.observe(campaign, counts.get(campaign) ?? { count: 0, version: 0 });
        } catch {
          // The database is unreachable for now: the next notification or resync tries again.
          return false;
        }
      }
      return true;
    })().finally(() => (this.refreshing = undefined));
  }
}
