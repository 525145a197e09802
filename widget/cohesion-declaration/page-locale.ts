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

  /** Every language by its own name, as on the Alliance's own site. */
  render() {
    const current = getLocale();
    return html`<div class="languages">
      <label for="language">${msg('Language')}</label>
      <select id="language" part="language" @change=${this.onPick}>
        ${allLocales.map(
          (locale) =>
            html`<option value=${locale} lang=${locale} ?selected=${locale === current}>
              ${LANGUAGE_NAMES[locale]}
            </option>`,
        )}
      </select>
    </div>`;
  }

  private readonly onPick = (event: Event) => {
    this.host.lang = (event.target as HTMLSelectElement).value;
  };
}
