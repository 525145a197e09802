/**
 * A title longer than its reserved place (some languages, narrow columns) is set smaller, once per
 * title, through the `--fit` custom property the styles scale it by. Should the column narrow
 * later, the title grows its place rather than overflow it.
 */
import type { ReactiveController, ReactiveElement } from 'lit';

/** Less than any overflow a line makes: layout rounds to 1/64 px. */
const FRACTION = 0.5;

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
      // In fractions of a pixel: offsetHeight rounds, and a place of 67.5 px (3 lines at 15 px)
      // read as 68 made every title look too long, shrinking it to the smallest size.
      if (title.getBoundingClientRect().height <= place + FRACTION) break;
    }
  }
}
