/**
 * Which language the element speaks: its own `lang`, else the host page's, which can change after
 * load (a site's own language switch), so the page's `lang` is watched while the element is in
 * it. Also the language picker, which sets the element's own `lang`.
 */
import { html, type ReactiveController, type ReactiveElement } from 'lit';
import { msg } from '@lit/localize';
import { LANGUAGE_NAMES, allLocales, getLocale, resolveLocale, setLocale } from '../localization.js';

export class PageLocale implements ReactiveController {
  private readonly observer = new MutationObserver(() => this.update());
  /** A key is being handled: a change it makes is a step through the options, not yet a choice. */
  private stepping = false;
  /** The language picked and not yet applied. */
  private picked?: string;

  constructor(
    private readonly host: ReactiveElement & { lang: string },
    /**
     * The element's language is the current one: `switched` when it has just been loaded and
     * set, false when it already was.
     */
    private readonly onLocale: (switched: boolean) => void,
    /** Its language could not be loaded. */
    private readonly onFailed: () => void,
  ) {
    host.addController(this);
  }

  hostConnected() {
    this.observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  }

  hostDisconnected() {
    this.observer.disconnect();
  }

  /** Speaks the language the element should speak now, loading it first if it is another. */
  update() {
    const locale = resolveLocale(this.host);
    if (locale === getLocale()) this.onLocale(false);
    else setLocale(locale).then(() => this.onLocale(true), this.onFailed);
  }

  /**
   * Every language by its own name, as on the Alliance's own site. A choice counts when it is
   * made: a click on an option, Enter, or leaving the picker; not each arrow key over it while
   * closed, which changes its value at once (WCAG 3.2.2).
   */
  render() {
    const current = getLocale();
    return html`<label for="language">${msg('Language')}</label>
      <select id="language" part="language" @keydown=${this.onKey} @change=${this.onPick} @focusout=${this.apply}>
        ${allLocales.map(
          (locale) =>
            html`<option value=${locale} lang=${locale} ?selected=${locale === current}>
              ${LANGUAGE_NAMES[locale]}
            </option>`,
        )}
      </select>`;
  }

  private readonly onKey = (event: KeyboardEvent) => {
    if (event.key === 'Enter') return this.apply();
    this.stepping = true;
    setTimeout(() => (this.stepping = false));
  };

  private readonly onPick = (event: Event) => {
    this.picked = (event.target as HTMLSelectElement).value;
    if (!this.stepping) this.apply();
  };

  private readonly apply = () => {
    if (this.picked) this.host.lang = this.picked;
    this.picked = undefined;
  };
}
