/**
 * A title longer than its reserved place (some languages, narrow columns) is set smaller, once per
 * title, through the `--fit` custom property the styles scale it by. Should the column narrow
 * later, the title grows its place rather than overflow it.
 */
import type { ReactiveController, ReactiveElement } from 'lit';

export class TitleFit implements ReactiveController {
  /** The title whose size was last fitted to its place. */
  private fitted?: string | null;

  constructor(
    private readonly host: ReactiveElement,
    private readonly selector: string,
  ) {
    host.addController(this);
  }

  hostUpdated() {
    const title = this.host.renderRoot.querySelector<HTMLElement>(this.selector);
    if (!title || title.textContent === this.fitted) return;
    this.fitted = title.textContent;
    const place = parseFloat(getComputedStyle(title).minBlockSize);
    for (let fit = 1; fit > 0.6; fit -= 0.05) {
      title.style.setProperty('--fit', `${fit}`);
      if (title.offsetHeight <= place) break;
    }
  }
}
