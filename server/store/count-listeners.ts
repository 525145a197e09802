/** The `onCount` listeners of a store, told one by one so that a failing one cannot silence the rest. */
import type { CountListener } from './signature-store.js';

export class CountListeners {
  private readonly listeners = new Set<CountListener>();

  get size() {
    return this.listeners.size;
  }

  /** Returns the unsubscribe function that `onCount` hands out. */
  add(listener: CountListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(campaign: string, count: number) {
    for (const listener of this.listeners) {
      try {
        listener(campaign, count);
      } catch {
        // A failing listener must not keep the others from hearing about the new count.
      }
    }
  }

  clear() {
    this.listeners.clear();
  }
}
