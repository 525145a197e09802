/**
 * `<cohesion-embed-builder>`: the page where a partner webmaster picks language, partner id,
 * variant and colours, sees the widget live, and copies the snippet to paste into their CMS:
 * the script snippet, or, for a CMS that strips scripts, the iframe snippet, side by side, each
 * with its own preview.
 */
import { LitElement, css, html } from 'lit';
import { BANNER_SIZES, bannerUrl } from '../contract/banners.js';
import {
  embedUrl,
  escapeAttribute,
  iframeSnippet,
  type EmbedColorScheme,
  type EmbedOptions as IframeOptions,
  type EmbedVariant,
} from '../contract/embed.js';
import '../widget/cohesion-declaration.js';
import { LANGUAGE_NAMES, allLocales } from '../widget/localization.js';
import { reservationCss } from './reservation.js';

export interface EmbedOptions {
  /** The server's origin, e.g. https://sign.cohesionalliance.eu */
  server: string;
  partner: string;
  /** Empty: the page's own language. */
  lang: string;
  variant: EmbedVariant;
  colorScheme: '' | EmbedColorScheme;
  accent: string;
}

type EmbedBuilderChoices = Omit<EmbedOptions, 'server'>;

const CAMPAIGN = 'cohesion-alliance';
const DEFAULT_ACCENT = '#0b5cab';
type SnippetKind = 'script' | 'iframe';

/**
 * The snippet to paste: the CSS that keeps the page still while the script loads, the script tag,
 * and the element with only the attributes that differ from the defaults.
 */
export function embedSnippet(options: EmbedOptions): string {
  const attributes = [
    options.partner && `partner="${escapeAttribute(options.partner)}"`,
    options.lang && `lang="${escapeAttribute(options.lang)}"`,
    options.variant !== 'full' && `variant="${options.variant}"`,
    options.colorScheme && `color-scheme="${options.colorScheme}"`,
    options.accent.toLowerCase() !== DEFAULT_ACCENT && `style="--cohesion-color-accent: ${escapeAttribute(options.accent)}"`,
  ].filter(Boolean);
  return [
    `<style>${reservationCss(options.variant, !!options.partner)}</style>`,
    `<script type="module" src="${options.server}/widget/cohesion-declaration.js"></script>`,
    `<cohesion-declaration${attributes.map((a) => ` ${a}`).join('')}></cohesion-declaration>`,
  ].join('\n');
}

/** The builder's choices as the iframe embed's options. */
const iframeOptions = (options: EmbedOptions): IframeOptions => ({
  campaign: CAMPAIGN,
  partner: options.partner || undefined,
  lang: options.lang || undefined,
  variant: options.variant,
  colorScheme: options.colorScheme || undefined,
  accent: options.accent.toLowerCase() !== DEFAULT_ACCENT ? options.accent : undefined,
});

/**
 * The iframe snippet: the frame, and the optional line that lets it follow the widget's height
 * where the page may run a script (without it, the frame keeps its default height).
 */
export function embedIframeSnippet(options: EmbedOptions, title: string): string {
  return [
    iframeSnippet(options.server, iframeOptions(options), title),
    '<!-- Optional, where your site allows scripts: the frame takes the height of its content. -->',
    `<script src="${options.server}/widget/embed-resizer.js" async></script>`,
  ].join('\n');
}

export class CohesionEmbedBuilder extends LitElement {
  static override properties = {
    server: {},
    _options: { state: true },
    _copied: { state: true },
    _partnerCount: { state: true },
    _title: { state: true },
  };

  /** The server the snippet points at. Default: the one serving this page. */
  server = location.origin;

  static override styles = css`
    /* Side by side where the builder has room for both, else one above the other: by its own width, not the screen's. */
    :host {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 20rem), 1fr));
      gap: 2rem;
      font: 16px/1.5 system-ui, sans-serif;
    }
    form {
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      gap: 1rem;
      align-content: start;
    }
    :host > * {
      min-inline-size: 0;
    }
    label {
      display: grid;
      gap: 0.25rem;
      font-weight: 600;
    }
    input,
    select,
    button {
      font: inherit;
      font-weight: normal;
      min-block-size: 2.5rem;
    }
    input,
    select {
      box-sizing: border-box;
      inline-size: 100%;
    }
    /* Lines break between attributes, never inside a word: a long address scrolls in its box. */
    pre {
      white-space: pre-wrap;
      overflow-x: auto;
      background: #f3f4f6;
      border: 1px solid #c8ccd2;
      border-radius: 6px;
      padding: 0.75rem;
      font-size: 0.85rem;
    }
    .copy {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.75rem;
    }
    .copy button {
      padding: 0.25rem 1rem;
      border: 2px solid #0b5cab;
      border-radius: 6px;
      background: #0b5cab;
      color: #fff;
      font-weight: 600;
      cursor: pointer;
    }
    .snippets {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 16rem), 1fr));
      gap: 1rem;
    }
    .snippet h3 {
      margin-block-end: 0;
    }
    #iframe-preview {
      box-sizing: border-box;
      display: block;
      inline-size: 100%;
      block-size: 40rem;
      border: 1px dashed #c8ccd2;
    }
    .copy button.copied {
      background: #fff;
      color: #0b5cab;
    }
    .copy button:focus-visible {
      outline: 3px solid #0b0c0c;
      outline-offset: 2px;
    }
  `;

  private _options: EmbedBuilderChoices = {
    partner: '',
    lang: '',
    variant: 'full',
    colorScheme: '',
    accent: DEFAULT_ACCENT,
  };
  /** Which snippet was copied last, while no choice has changed since. */
  private _copied?: SnippetKind;
  /** The campaign's title in the chosen language: the iframe's title. */
  private _title = 'Declaration of Principles of the #CohesionAlliance';
  /** How many signed through the chosen partner id (GET …/count?partner=); undefined while unknown. */
  private _partnerCount?: number;
  private _countTimer?: ReturnType<typeof setTimeout>;

  private _set(key: keyof EmbedBuilderChoices) {
    return (event: Event) => {
      this._options = { ...this._options, [key]: (event.target as HTMLInputElement).value.trim() };
      this._copied = undefined;
      if (key === 'partner') this._fetchPartnerCount();
      if (key === 'lang') void this._fetchTitle();
    };
  }

  /** Once the webmaster stops typing the partner id: the count of signatures made through it. */
  private _fetchPartnerCount() {
    clearTimeout(this._countTimer);
    this._partnerCount = undefined;
    const { partner } = this._options;
    if (!partner) return;
    this._countTimer = setTimeout(async () => {
      const url = new URL('/api/campaigns/cohesion-alliance/count', this.server);
      url.searchParams.set('partner', partner);
      // Revalidated (ETag), not taken from the cache: the webmaster wants today's figure.
      const response = await fetch(url, { cache: 'no-cache' }).catch(() => undefined);
      const body = response?.ok ? ((await response.json()) as { partnerCount?: number }) : undefined;
      if (partner === this._options.partner) this._partnerCount = body?.partnerCount;
    }, 400);
  }

  override connectedCallback() {
    super.connectedCallback();
    void this._fetchTitle();
  }

  /** The campaign's title in the chosen language (English for the page's own), for the iframe's title. */
  private async _fetchTitle() {
    const { lang } = this._options;
    const url = new URL(`/api/campaigns/${CAMPAIGN}`, this.server);
    url.searchParams.set('lang', lang || 'en');
    const response = await fetch(url).catch(() => undefined);
    const body = response?.ok ? ((await response.json()) as { title?: string }) : undefined;
    if (body?.title && lang === this._options.lang) this._title = body.title;
  }

  private _snippet(kind: SnippetKind) {
    const options = { ...this._options, server: this.server };
    return kind === 'script' ? embedSnippet(options) : embedIframeSnippet(options, this._title);
  }

  private async _copy(kind: SnippetKind) {
    await navigator.clipboard.writeText(this._snippet(kind));
    this._copied = kind;
  }

  private _renderSnippet(kind: SnippetKind, heading: string, help: string) {
    const copied = this._copied === kind;
    return html`<div class="snippet">
      <h3>${heading}</h3>
      <p>${help}</p>
      <pre id=${kind === 'script' ? 'snippet' : 'iframe-snippet'}>${this._snippet(kind)}</pre>
      <div class="copy">
        <button type="button" class=${copied ? 'copied' : ''} @click=${() => this._copy(kind)}>
          ${copied ? 'Copied ✓' : `Copy the ${kind} snippet`}
        </button>
        <span role="status">${copied ? 'The snippet is on your clipboard: paste it into your page.' : ''}</span>
      </div>
    </div>`;
  }

  override render() {
    const o: EmbedOptions = { ...this._options, server: this.server };
    // The page's own language is not known here: the declaration's link is then to English.
    const declarationLang = (o.lang || 'en') as keyof typeof LANGUAGE_NAMES;
    return html`
      <form @submit=${(e: Event) => e.preventDefault()}>
        <label>Partner id <input name="partner" .value=${o.partner} @input=${this._set('partner')} placeholder="e.g. plovdiv" /></label>
        <p id="partner-count" role="status">
          ${
            this._partnerCount === undefined
              ? ''
              : `Signed via “${o.partner}” so far: ${new Intl.NumberFormat('en').format(this._partnerCount)}`
          }
        </p>
        <label>
          Language
          <select name="lang" @change=${this._set('lang')}>
            <option value="">The page's own language</option>
            ${allLocales.map((code) => html`<option value=${code} lang=${code}>${LANGUAGE_NAMES[code]}</option>`)}
          </select>
        </label>
        <label>
          Variant
          <select name="variant" @change=${this._set('variant')}>
            <option value="full">Full: declaration, counter and form</option>
            <option value="compact">Compact: counter and a Sign button</option>
            <option value="counter">Counter only</option>
            <option value="supporters">Wall of supporters who chose to be listed</option>
            <option value="partners">The campaign's partners</option>
          </select>
        </label>
        <label>
          Colour scheme
          <select name="colorScheme" @change=${this._set('colorScheme')}>
            <option value="">As the page</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
            <option value="auto">The visitor's system setting</option>
          </select>
        </label>
        <label>Accent colour <input name="accent" type="color" .value=${o.accent} @input=${this._set('accent')} /></label>
        <div>
          <h2>Your snippet</h2>
          <div class="snippets">
            ${this._renderSnippet('script', 'Script', 'Best where your site allows scripts: the widget becomes part of your page.')}
            ${this._renderSnippet(
              'iframe',
              'Iframe',
              'For a CMS that strips scripts but allows iframes (many WordPress, Drupal and TYPO3 sites).',
            )}
          </div>
        </div>
        <div>
          <h2>Materials</h2>
          <p>
            <a id="declaration" href=${new URL(`/declaration/cohesion-alliance/${declarationLang}`, o.server).href} target="_blank" rel="noopener">
              The declaration in ${LANGUAGE_NAMES[declarationLang]}, as a page to print or link to
            </a>
          </p>
          <p>Banners in ${LANGUAGE_NAMES[declarationLang]}, to link to or download (the live count is drawn when it is asked for):</p>
          <ul id="banners">
            ${BANNER_SIZES.map(
              (size) =>
                html`<li>
                  ${size.replace('x', '×')}: ${(['svg', 'png'] as const).map(
                    (format, i) =>
                      html`${i ? ' · ' : ''}<a href=${bannerUrl(this.server, CAMPAIGN, format, size, declarationLang)} target="_blank" rel="noopener"
                          >${format.toUpperCase()}</a
                        >`,
                  )}
                  · <a href=${bannerUrl(this.server, CAMPAIGN, 'png', size, declarationLang, true)} target="_blank" rel="noopener">PNG with the count</a>
                </li>`,
            )}
          </ul>
        </div>
      </form>
      <section aria-labelledby="preview">
        <h2 id="preview">Preview</h2>
        <cohesion-declaration
          api=${o.server}
          partner=${o.partner}
          lang=${o.lang}
          variant=${o.variant}
          color-scheme=${o.colorScheme || 'light'}
          style="--cohesion-color-accent: ${o.accent}"
        ></cohesion-declaration>
        <h3>As the iframe shows it</h3>
        <iframe id="iframe-preview" title=${this._title} src=${embedUrl(o.server, iframeOptions(o))}></iframe>
      </section>
    `;
  }
}

if (!customElements.get('cohesion-embed-builder')) customElements.define('cohesion-embed-builder', CohesionEmbedBuilder);

declare global {
  interface HTMLElementTagNameMap {
    'cohesion-embed-builder': CohesionEmbedBuilder;
  }
}
