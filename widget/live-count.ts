/**
 * The live number of supporters. One connection per page and stream, however many elements
 * watch it: Server-Sent Events, reconnecting with backoff and jitter; polling `/count` (with
 * ETag) where a proxy or firewall blocks the stream; and nothing at all while the page is hidden,
 * catching up when it is shown again.
 */

import type { CountUpdate } from '../contract/api.js';

export type { CountUpdate };
type Listener = (update: CountUpdate) => void;

/** How often to poll where streams are blocked, and the ceiling of the reconnect backoff (ms). */
export const timing = { poll: 15_000, maxBackoff: 60_000 };
/** Failed attempts to open the stream before it is taken as blocked and polling takes over. */
const ATTEMPTS_BEFORE_POLLING = 3;

class CountFeed {
  readonly listeners = new Set<Listener>();
  private source?: EventSource;
  private timer?: ReturnType<typeof setTimeout>;
  private failures = 0;
  private polling = false;
  private etag = '';
  private last?: CountUpdate;

  constructor(
    private readonly streamUrl: string,
    private readonly countUrl: string,
  ) {}

  add(listener: Listener) {
    this.listeners.add(listener);
    if (this.last) listener(this.last);
    if (this.listeners.size === 1) {
      document.addEventListener('visibilitychange', this.onVisibility);
      this.onVisibility();
    }
  }

  remove(listener: Listener) {
    this.listeners.delete(listener);
    if (!this.listeners.size) {
      document.removeEventListener('visibilitychange', this.onVisibility);
      this.stop();
    }
  }

  /** Whether a stream is open or opening: for tests and for the hidden-page rule. */
  get connected() {
    return !!this.source;
  }

  private readonly onVisibility = () => {
    this.stop();
    if (document.visibilityState !== 'hidden') this.start();
  };

  private start() {
    if (this.polling || typeof EventSource === 'undefined') {
      this.poll();
      return;
    }
    const source = (this.source = new EventSource(this.streamUrl));
    source.addEventListener('open', () => (this.failures = 0));
    source.addEventListener('count', (event) => this.publish(JSON.parse((event as MessageEvent).data)));
    source.addEventListener('error', () => {
      // Reconnect on our own schedule rather than the browser's, so that a server restart is
      // not met by every open page at the same instant.
      this.stop();
      if (++this.failures >= ATTEMPTS_BEFORE_POLLING) this.polling = true;
      const backoff = Math.min(timing.maxBackoff, 1000 * 2 ** this.failures);
      this.timer = setTimeout(() => this.start(), backoff * (0.5 + Math.random() / 2));
    });
  }

  private stop() {
    this.source?.close();
    this.source = undefined;
    clearTimeout(this.timer);
  }

  private async poll() {
    try {
      const response = await fetch(this.countUrl, {
        headers: this.etag ? { 'if-none-match': this.etag } : {},
        credentials: 'omit',
        // Past the browser's cache (the answer may be cached for seconds), with our own ETag.
        cache: 'no-store',
      });
      if (response.status === 200) {
        this.etag = response.headers.get('etag') ?? '';
        this.publish(await response.json());
      }
    } catch {
      // Offline for now; the next poll tries again.
    }
    if (this.listeners.size && document.visibilityState !== 'hidden') {
      this.timer = setTimeout(() => this.poll(), timing.poll);
    }
  }

  private publish(update: CountUpdate) {
    this.last = update;
    for (const listener of this.listeners) listener(update);
  }
}

const feeds = new Map<string, CountFeed>();

/** Calls `listener` with the count now and on every change; returns the way to stop. */
export function watchCount(streamUrl: string, countUrl: string, listener: Listener): () => void {
  let feed = feeds.get(streamUrl);
  if (!feed) feeds.set(streamUrl, (feed = new CountFeed(streamUrl, countUrl)));
  feed.add(listener);
  return () => {
    feed.remove(listener);
    if (!feed.listeners.size) feeds.delete(streamUrl);
  };
}

/** The feeds open on this page, by stream URL: lets tests see that one stream is shared. */
export const openFeeds = (): ReadonlyMap<string, { connected: boolean; listeners: ReadonlySet<unknown> }> => feeds;
