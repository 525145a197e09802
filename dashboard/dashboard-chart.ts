/**
 * `<cohesion-day-chart>`: confirmed signatures per day as a bar chart drawn in SVG, for people
 * who would rather look, with the same numbers as a sentence (the chart's accessible name) and
 * as a table in a <details>, for people who would rather read or cannot see it.
 *
 * The SVG is drawn at the width it is given (a ResizeObserver measures it), not scaled from a
 * fixed viewBox, so that the axis labels keep their size on a 320 px phone and on a wide screen,
 * and the number of day labels follows the room there is for them.
 */
import { LitElement, css, html, nothing, svg } from 'lit';
import { dashboardStyles } from './dashboard.styles.js';

export interface DayCount {
  /** A UTC day, YYYY-MM-DD. */
  day: string;
  count: number;
}

const DAY_MS = 86_400_000;
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayString = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** Every day from the first to the last, with 0 where the API left a day out. */
export function everyDay(days: readonly DayCount[]): DayCount[] {
  if (!days.length) return [];
  const counts = new Map(days.map((d) => [d.day, d.count]));
  const first = dayNumber(days[0]!.day);
  const last = dayNumber(days[days.length - 1]!.day);
  const all: DayCount[] = [];
  for (let n = first; n <= last; n++) all.push({ day: dayString(n), count: counts.get(dayString(n)) ?? 0 });
  return all;
}

/** A round step for the value axis (1, 2 or 5 times a power of ten) giving at most `most` steps up to `max`. */
export function niceStep(max: number, most = 4): number {
  if (max <= 0) return 1;
  const raw = max / most;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  return Math.max(1, step);
}

/** How many days apart the day labels are, so that each has `room` pixels: 1, 2, 7, 14, 28 … */
export function labelEvery(slot: number, room = 56): number {
  for (const step of [1, 2, 7, 14]) if (step * slot >= room) return step;
  return 28 * Math.ceil(room / (28 * slot));
}

const HEIGHT = 220;
const MARGIN = { top: 12, right: 24, bottom: 28 };
/** The widest a bar gets, when there are only a few days. */
const MAX_BAR = 40;

export class CohesionDayChart extends LitElement {
  static override properties = { days: { attribute: false }, locale: {}, _width: { state: true } };

  static override styles = [
    dashboardStyles,
    css`
      :host {
        display: block;
      }
      .plot {
        inline-size: 100%;
        overflow: hidden;
      }
      svg {
        display: block;
        max-inline-size: 100%;
        block-size: auto;
      }
      .day-bar {
        fill: var(--_accent);
      }
      .grid-line {
        stroke: color-mix(in srgb, var(--_border) 40%, var(--_bg));
        stroke-width: 1;
      }
      .axis-line {
        stroke: var(--_muted);
        stroke-width: 1;
      }
      text {
        fill: var(--_muted);
        font: 12px var(--_font);
      }
    `,
  ];

  /** Confirmed signatures by day, ascending, as the stats endpoint gives them. */
  days: DayCount[] = [];
  /** For the day names and numbers. */
  locale = 'en';
  private _width = 0;
  private _frame = 0;
  // Drawn in the next frame, not inside the observer's callback: the new chart may change the
  // page's height, and with it the scrollbar and this width, which the same callback must not see.
  private readonly _resize = new ResizeObserver(([entry]) => {
    const width = Math.floor(entry!.contentRect.width);
    cancelAnimationFrame(this._frame);
    this._frame = requestAnimationFrame(() => (this._width = width));
  });

  override connectedCallback() {
    super.connectedCallback();
    this._resize.observe(this);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this._resize.disconnect();
    cancelAnimationFrame(this._frame);
  }

  private get _formats() {
    return {
      number: new Intl.NumberFormat(this.locale),
      short: new Intl.DateTimeFormat(this.locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }),
      long: new Intl.DateTimeFormat(this.locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }),
    };
  }

  /** The chart in one sentence: its accessible name, and shown above it for everyone. */
  summary(): string {
    const { number, long } = this._formats;
    const day = (d: string) => long.format(new Date(`${d}T00:00:00Z`));
    if (!this.days.length) return 'No confirmed signatures yet.';
    const total = this.days.reduce((sum, d) => sum + d.count, 0);
    if (this.days.length === 1) return `${number.format(total)} confirmed signatures, all on ${day(this.days[0]!.day)}.`;
    const best = this.days.reduce((a, b) => (b.count > a.count ? b : a));
    return (
      `${number.format(total)} confirmed signatures from ${day(this.days[0]!.day)} to ` +
      `${day(this.days[this.days.length - 1]!.day)}; the most in one day: ${number.format(best.count)}, on ${day(best.day)}.`
    );
  }

  override render() {
    return html`<div class="root">
      <p id="chart-summary">${this.summary()}</p>
      <div class="plot">${this.days.length && this._width ? this._chart() : nothing}</div>
      ${
        this.days.length
          ? html`<details>
            <summary>The numbers, day by day</summary>
            <table>
              <thead>
                <tr><th scope="col">Day</th><th scope="col" class="number">Confirmed signatures</th></tr>
              </thead>
              <tbody>
                ${this.days.map(
                  (d) => html`<tr>
                    <td>${this._formats.long.format(new Date(`${d.day}T00:00:00Z`))}</td>
                    <td class="number">${this._formats.number.format(d.count)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </details>`
          : nothing
      }
    </div>`;
  }

  private _chart() {
    const { number, short, long } = this._formats;
    const days = everyDay(this.days);
    const max = Math.max(...days.map((d) => d.count));
    const step = niceStep(max);
    const top = Math.ceil(max / step) * step;
    const ticks = Array.from({ length: top / step + 1 }, (_, i) => i * step);
    const left = 10 + 7 * number.format(top).length;
    const plotWidth = Math.max(1, this._width - left - MARGIN.right);
    const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
    const slot = plotWidth / days.length;
    const gap = slot >= 6 ? Math.min(slot * 0.25, 8) : 0;
    const barWidth = Math.min(MAX_BAR, Math.max(1, slot - gap));
    const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
    const every = labelEvery(slot);
    const date = (day: string) => new Date(`${day}T00:00:00Z`);

    return html`<svg
      role="img"
      aria-labelledby="chart-summary"
      width=${this._width}
      height=${HEIGHT}
      viewBox="0 0 ${this._width} ${HEIGHT}"
    >
      ${ticks.map(
        (t) => svg`
          <line class=${t ? 'grid-line' : 'axis-line'} x1=${left} x2=${left + plotWidth} y1=${y(t)} y2=${y(t)}></line>
          <text x=${left - 6} y=${y(t)} dy="0.32em" text-anchor="end">${number.format(t)}</text>`,
      )}
      ${days.map((d, i) => {
        const x = left + i * slot + (slot - barWidth) / 2;
        const label =
          i % every === 0
            ? svg`<text x=${left + (i + 0.5) * slot} y=${HEIGHT - MARGIN.bottom + 16} text-anchor="middle">${short.format(date(d.day))}</text>`
            : nothing;
        const bar = d.count
          ? svg`<rect class="day-bar" data-day=${d.day} data-count=${d.count} x=${x} y=${y(d.count)} width=${barWidth} height=${y(0) - y(d.count)}><title>${long.format(date(d.day))}: ${number.format(d.count)}</title></rect>`
          : nothing;
        return svg`${bar}${label}`;
      })}
    </svg>`;
  }
}

if (!customElements.get('cohesion-day-chart')) customElements.define('cohesion-day-chart', CohesionDayChart);

declare global {
  interface HTMLElementTagNameMap {
    'cohesion-day-chart': CohesionDayChart;
  }
}
