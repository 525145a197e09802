/**
 * The element's counter: the number of supporters from the live feed (../live-count.ts), counting
 * up gently to each new number, the progress towards the next goal, and the switch by which the
 * visitor pauses live updates (WCAG 2.2.2): on while the count moves, off while paused.
 */
import { html, nothing, type ReactiveController, type ReactiveElement } from 'lit';
import { msg, str } from '@lit/localize';
import type { ApiClient, Campaign } from '../api-client.js';
import { watchCount, type CountUpdate } from '../live-count.js';
import { getLocale } from '../localization.js';

/** The next goal once one is passed: 1, 2, 5, 10, 20, 50… times a power of ten. */
export function nextGoal(goal: number, count: number) {
  while (goal > 0 && count >= goal) {
    const magnitude = 10 ** Math.floor(Math.log10(goal));
    const lead = goal / magnitude;
    goal = (lead < 2 ? 2 : lead < 5 ? 5 : 10) * magnitude;
  }
  return goal;
}

export class LiveCountController implements ReactiveController {
  private count?: number;
  /** Signatures through the element's partner, when it has one. */
  private partnerCount?: number;
  /** The element follows a partner's count besides the campaign's. */
  private withPartner = false;
  /** The number on screen while it counts up to `count`. */
  private shown?: number;
  /** The visitor paused live updates; the count stays as it was shown. */
  private paused = false;
  private latest?: CountUpdate;
  /** The feed's stream and count addresses. */
  private feed?: [streamUrl: string, countUrl: string];
  private unwatch?: () => void;
  private frame = 0;
  /** The progress bar's width (%), set on the bar after each render. */
  private progress = 0;

  constructor(
    private readonly host: ReactiveElement,
    /** The count changed, from the feed or from elsewhere. */
    private readonly onChange: (count: number, partnerCount?: number) => void,
  ) {
    host.addController(this);
  }

  /**
   * Follows the campaign's count (and the partner's) instead of any before: only while in the
   * page, as a detached element holds no stream.
   */
  follow(client: ApiClient, partner?: string) {
    this.stop();
    this.withPartner = !!partner;
    this.feed = [client.streamUrl(partner), client.countUrl(partner)];
    if (this.host.isConnected) this.watch();
  }

  /** A count known from elsewhere: the campaign's answer, which the feed's own number is newer than. */
  setIfNoFeed(count: number) {
    if (!this.latest) this.set(count);
  }

  /**
   * A new count from elsewhere than the feed (the campaign's answer, the answer to a signature),
   * without the partner's. Where the element has a partner, it is shown, and told once the feed
   * brings both: `cohesion-count` never carries a partner's count older than its count.
   */
  set(count: number) {
    this.change(count, this.partnerCount, !this.withPartner);
  }

  private change(count: number, partnerCount: number | undefined, tell: boolean) {
    if (count === this.count && partnerCount === this.partnerCount) return;
    if (count !== this.count) this.animate(this.count, count);
    this.count = count;
    this.partnerCount = partnerCount;
    this.host.requestUpdate();
    if (tell) this.onChange(count, partnerCount);
  }

  hostConnected() {
    // Watching again after a move in the page.
    if (this.feed && !this.unwatch) this.watch();
  }

  hostDisconnected() {
    this.stop();
    cancelAnimationFrame(this.frame);
  }

  hostUpdated() {
    // Through the CSSOM, not a style attribute, which a strict CSP on the host page would block.
    this.host.renderRoot.querySelector<HTMLElement>('.bar > div')?.style.setProperty('inline-size', `${this.progress}%`);
  }

  private watch() {
    const [streamUrl, countUrl] = this.feed!;
    this.unwatch = watchCount(streamUrl, countUrl, this.onUpdate);
  }

  private stop() {
    this.unwatch?.();
    this.unwatch = undefined;
  }

  private readonly onUpdate = (update: CountUpdate) => {
    this.latest = update;
    if (!this.paused) this.show(update);
  };

  private show({ count, partnerCount }: CountUpdate) {
    this.change(count, partnerCount, true);
  }

  /** Counts up (or down) to the new number over a moment; at once under reduced motion. */
  private animate(from: number | undefined, to: number) {
    cancelAnimationFrame(this.frame);
    if (from === undefined || matchMedia('(prefers-reduced-motion: reduce)').matches) {
      this.shown = to;
      return;
    }
    const start = performance.now();
    const step = (now: number) => {
      const progress = Math.min(1, (now - start) / 600);
      this.shown = Math.round(from + (to - from) * (1 - (1 - progress) ** 3));
      this.host.requestUpdate();
      if (progress < 1) this.frame = requestAnimationFrame(step);
    };
    this.frame = requestAnimationFrame(step);
  }

  private readonly onPause = () => {
    this.paused = !this.paused;
    this.host.requestUpdate();
    // Resuming shows where the count is now.
    if (!this.paused && this.latest) this.show(this.latest);
  };

  /** The counter, its lines in place (empty) until the count and the goal are known. */
  render(campaign: Campaign | undefined, partner: boolean) {
    const count = this.count ?? campaign?.count;
    const shown = this.shown ?? count;
    const number = new Intl.NumberFormat(getLocale());
    const goal = campaign && nextGoal(campaign.goal, count!);
    this.progress = goal ? Math.min(100, (shown! / Math.max(1, goal)) * 100) : 0;
    // Not a live region: a number that changes every second would drown a screen reader.
    return html`<div part="counter" class="counter">
      <div class="line">${
        count === undefined ? nothing : html`<span class="count">${number.format(shown!)}</span> ${supporters(count)}`
      }</div>
      <div class="bar" aria-hidden="true"><div></div></div>
      <div class="help goal">${goal ? msg(str`Next goal: ${number.format(goal)}`) : nothing}</div>
      ${
        partner
          ? html`<div class="help">${
              this.partnerCount ? msg(str`Signed via this site: ${number.format(this.partnerCount)}`) : nothing
            }</div>`
          : nothing
      }
      <button class="live" type="button" role="switch" aria-checked=${!this.paused} @click=${this.onPause}>
        ${msg('Live updates')}
      </button>
    </div>`;
  }
}

/** "supporters" in the plural form the language uses for `count` (one, few, many…). */
function supporters(count: number) {
  const forms: Record<Intl.LDMLPluralRule, string> = {
    zero: msg('supporters', { id: 'supporters-zero' }),
    one: msg('supporter', { id: 'supporters-one' }),
    two: msg('supporters', { id: 'supporters-two' }),
    few: msg('supporters', { id: 'supporters-few' }),
    many: msg('supporters', { id: 'supporters-many' }),
    other: msg('supporters', { id: 'supporters-other' }),
  };
  // Our Portuguese is Portugal's, whose plural rules differ from Brazil's (the default for `pt`) at 0.
  const locale = getLocale();
  return forms[new Intl.PluralRules(locale === 'pt' ? 'pt-PT' : locale).select(count)];
}
