import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import styles from './cohesion-declaration.styles.js';
import type { EmbedColorScheme, EmbedVariant } from '../../contract/embed.js';
import { ApiClient, type SignError, type SignStatus } from '../api-client.js';
import { getLocale } from '../localization.js';
import { CampaignLoader } from './campaign-loader.js';
import { LiveCountController } from './live-count-controller.js';
import { PageLocale } from './page-locale.js';
import { SigningForm } from './signing-form.js';
import { renderAnnouncement, renderSigning } from './signing-form.render.js';
import type { Wall } from './walls.js';
import { TitleFit } from './title-fit.js';

export interface CohesionSignedDetail {
  campaign: string;
  partner?: string;
  /** `counted`: the signature counts now; `pending`: once the signer confirms their email. */
  status: SignStatus;
}
export interface CohesionErrorDetail {
  /**
   * `config`: no `api` is set where the element cannot tell its server (a bundled copy); `csp`:
   * the page's Content Security Policy does not allow the Trusted Types policy `lit-html`.
   */
  kind: SignError['kind'] | 'load' | 'config' | 'csp';
  status?: number;
}
export interface CohesionCountDetail {
  campaign: string;
  count: number;
  /** Signatures through this element's partner, when `partner` is set. */
  partnerCount?: number;
}

/** The element's variants and colour schemes: the embed address's (contract/embed.ts), declared once. */
export type Variant = EmbedVariant;
/** The variants that show a wall (walls.ts) under the counter. */
const WALLS: readonly Variant[] = ['supporters', 'partners'];

/**
 * The #CohesionAlliance Declaration of Principles, to read and sign on any page.
 *
 * @tagname cohesion-declaration
 *
 * @fires {CustomEvent<CohesionSignedDetail>} cohesion-signed - A signature was accepted. `detail`: `{campaign, partner, status}`.
 * @fires {CustomEvent<CohesionErrorDetail>} cohesion-error - Signing or loading failed, or the element has no `api` to use. `detail`: `{kind, status}`.
 * @fires {CustomEvent<CohesionCountDetail>} cohesion-count - The number of supporters is known or changed. `detail`: `{campaign, count, partnerCount}`.
 *
 * @csspart header - Title, introduction and declaration.
 * @csspart declaration - The expander holding the full declaration text.
 * @csspart counter - The number of supporters and the progress bar.
 * @csspart form - The signing form.
 * @csspart error-summary - The list of problems shown after a failed submit.
 * @csspart submit-button - The button that signs.
 * @csspart thanks - What the signer sees after signing.
 * @csspart share - The links to share the declaration, after signing.
 * @csspart language - The language picker.
 * @csspart open-button - `compact` only: the button that opens the form.
 * @csspart close-button - `compact` only: the button that closes the form again.
 * @csspart sign-link - `counter` only: the link to where the visitor can sign.
 * @csspart supporters - `supporters` only: the wall of those who signed and chose to be listed.
 * @csspart supporter - `supporters` only: one supporter on the wall.
 * @csspart more-button - `supporters` only: the button that shows the next page of supporters.
 * @csspart signer-type - `supporters` only: the mark of a supporter who signed for an organisation or an office.
 * @attr signer-type - `supporters` only: one kind of signer alone on the wall: `organisation`, `representative` or `individual`. Read when the wall loads.
 * @csspart partners - `partners` only: the list of the partners the organisers listed.
 * @csspart partner - `partners` only: one partner, with its logo and a link to its website where given.
 *
 * @cssprop --cohesion-color-accent - Buttons, links, progress bar. Default `#0b5cab`.
 * @cssprop --cohesion-color-on-accent - Text on the accent colour. Default `#fff`.
 * @cssprop --cohesion-color-text - Body text. Default `#1d1d1f`.
 * @cssprop --cohesion-color-muted - Help text. Default `#55585e`.
 * @cssprop --cohesion-color-background - Background. Default `#fff`.
 * @cssprop --cohesion-color-border - Field borders. Default `#8a8f98`.
 * @cssprop --cohesion-color-error - Error text and borders. Default `#b3261e`.
 * @cssprop --cohesion-color-success - The thank-you mark. Default `#1b6e37`.
 * @cssprop --cohesion-font-family - Default: the system font.
 * @cssprop --cohesion-font-size - Base size. Default: the visitor's own font-size setting (`medium`, 16px as browsers come), whatever the page's sizes.
 * @cssprop --cohesion-radius - Corner radius. Default `6px`.
 * @cssprop --cohesion-spacing - Base spacing. Default `1rem`.
 * @cssprop --cohesion-focus-ring - The focus ring's outer tone, an outline. Default `3px solid #0b0c0c`.
 * @cssprop --cohesion-focus-ring-inner - The focus ring's inner tone, a colour between the outline and the element. Default `#ffdd00`; keep it 3:1 from the outer tone.
 */
export class CohesionDeclaration extends LitElement {
  static override styles = styles;

  // Declared here rather than with decorators: no decorator helpers in the bundle.
  static override properties = {
    api: {},
    campaign: {},
    partner: {},
    lang: {},
    variant: { reflect: true },
    colorScheme: { attribute: 'color-scheme', reflect: true },
    signUrl: { attribute: 'sign-url' },
    _open: { state: true },
  };

  /** The API base the script was loaded from; the entry module sets it where it can tell. */
  static defaultApi = '';

  /** Base URL of the API. Default: the server the script was loaded from; needed where the script was bundled. */
  api?: string;

  /** Which declaration to sign. */
  campaign = 'cohesion-alliance';

  /** Partner id, stored with each signature for attribution. */
  partner?: string;

  /** Language. Default: the nearest `lang` in the page, then the browser's languages, then English. */
  override lang = '';

  /**
   * `full`: declaration, counter and form; `compact`: counter and a button that opens the rest in
   * place; `counter`: the campaign's name, the counter and a link to sign, for a sidebar or footer; `supporters`: the counter and
   * the wall of those who signed and chose to be listed; `partners`: the counter and the partners
   * the organisers listed.
   */
  variant: Variant = 'full';

  /** `light`, `dark`, or `auto` (the visitor's system setting). Default: the host page's `color-scheme`. */
  colorScheme?: EmbedColorScheme;

  /**
   * `counter` only: where the visitor can sign, for the counter's link. Default: the server's own
   * page for the campaign, in the element's language, crediting its partner.
   */
  signUrl?: string;

  /** `compact` only: the visitor opened the form. */
  private _open = false;
  private _client!: ApiClient;
  private readonly _onLoadFailed = () => this._emit('cohesion-error', { kind: 'load' });
  private readonly _campaignLoader = new CampaignLoader(
    this,
    () => this._client,
    (campaign) => this._liveCount.setIfNoFeed(campaign.count),
    this._onLoadFailed,
  );
  private readonly _liveCount = new LiveCountController(this, (count, partnerCount) =>
    this._emit('cohesion-count', { campaign: this.campaign, count, partnerCount }),
  );
  private readonly _pageLocale = new PageLocale(
    this,
    // A campaign shown in another language loads again in this one.
    (switched) => {
      const shown = this._campaignLoader.campaign;
      if (switched || (shown && shown.lang !== getLocale())) this._campaignLoader.load();
    },
    this._onLoadFailed,
  );
  private readonly _form = new SigningForm(
    this,
    () => this._client,
    this._campaignLoader,
    ({ status, count }) => {
      if (count !== undefined) this._liveCount.set(count);
      this._emit('cohesion-signed', { campaign: this.campaign, partner: this.partner, status });
    },
    ({ kind, status }) => this._emit('cohesion-error', { kind, status }),
  );
  /** `supporters` and `partners` only, once its chunk has loaded. */
  private _wall?: Wall;

  constructor() {
    super();
    new TitleFit(this, '[part=header] h2');
    // Re-render when the language changes.
    updateWhenLocaleChanges(this);
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    // Another campaign, or the same on another server.
    const source = changed.has('api') || changed.has('campaign');
    const api = this.api || CohesionDeclaration.defaultApi;
    if (!api) {
      if (source) {
        this._campaignLoader.failed = true;
        console.error("<cohesion-declaration>: set its `api` attribute to the campaign server's address.");
        this._emit('cohesion-error', { kind: 'config' });
      }
      return;
    }
    if (source) {
      this._client = new ApiClient(api, this.campaign);
      this._campaignLoader.load();
    }
    if (WALLS.includes(this.variant) && (source || changed.has('variant'))) {
      const client = this._client;
      import('./walls.js').then(({ wallFor }) => {
        if (this._wall) this.removeController(this._wall);
        this._wall = wallFor(this, client);
      });
    }
    if (source || changed.has('partner')) this._liveCount.follow(this._client, this.partner);
    if (changed.has('lang')) this._pageLocale.update();
  }

  /** @internal */
  private _emit<K extends keyof CohesionEventMap>(name: K, detail: CohesionEventMap[K]['detail']) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  override render() {
    const campaign = this._campaignLoader.campaign;
    const counter = this._liveCount.render(campaign, !!this.partner);
    const lang = getLocale();
    const compact = this.variant === 'compact';
    // The final layout from the first frame: what the campaign fills in has its place reserved
    // (see the styles), so neither the widget nor the host page below it moves when it arrives.
    // Each part carries its language, so screen readers pronounce it right.
    const header = (more?: unknown) =>
      html`<div part="header" lang=${ifDefined(campaign?.lang)}><h2 tabindex="-1">${campaign?.title}</h2>${more}</div>`;
    if (WALLS.includes(this.variant)) {
      return html`<div class="root" lang=${lang}>${counter}${this._wall?.render()}</div>`;
    }
    if (this.variant === 'counter') {
      return html`<div class="root" lang=${lang}>
        ${header()}${counter}
        <a part="sign-link" href=${ifDefined(this.signUrl || this._client?.signPageUrl(lang, this.partner))}>${msg('Sign the declaration')}</a>
      </div>`;
    }
    if (compact && !this._open) {
      return html`<div class="root" lang=${lang}>
        ${header()}${counter}
        <button part="open-button" type="button" aria-expanded="false" @click=${this._toggle}>${msg('Sign the declaration')}</button>
      </div>`;
    }
    return html`<div class="root" lang=${lang} @keydown=${this._onKeyDown}>
      <div role="status" class="visually-hidden">${renderAnnouncement(this._form)}</div>
      <div class="languages">
        ${compact ? html`<button part="close-button" class="link" type="button" aria-expanded="true" @click=${this._toggle}>${msg('Close')}</button>` : nothing}
        ${this._pageLocale.render()}
      </div>
      ${header(html`${
        campaign
          ? html`<p class="intro">${campaign.introduction}</p>`
          : this._campaignLoader.failed
            ? html`<p class="intro problem">${msg('The declaration could not be loaded. Please try again later.')}</p>`
            : html`<p class="intro">${msg('Loading the declaration…')}</p>`
      }
        <details part="declaration">
          <summary>${msg('Read the declaration')}</summary>
          <div class="declaration">${campaign?.declaration.map((p) => html`<p>${p}</p>`)}</div>
        </details>`)}
      ${counter}
      ${renderSigning(this._form, campaign)}
    </div>`;
  }

  /**
   * `compact` only: opens the form in place, focus on its title, where reading starts; closes it
   * again (the close button, or Escape anywhere in it), focus back on the button that opens it.
   */
  private async _toggle() {
    this._open = !this._open;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(this._open ? 'h2' : '[part=open-button]')?.focus();
  }

  private _onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape' && this._open) this._toggle();
  }
}

export interface CohesionEventMap {
  'cohesion-signed': CustomEvent<CohesionSignedDetail>;
  'cohesion-error': CustomEvent<CohesionErrorDetail>;
  'cohesion-count': CustomEvent<CohesionCountDetail>;
}

/**
 * The element's attributes and event handlers as JSX and templates write them: the package's
 * types for React (`cohesion-declaration/react`), Preact and Vue use it.
 */
export interface CohesionDeclarationAttributes {
  api?: string;
  campaign?: string;
  partner?: string;
  lang?: string;
  variant?: Variant;
  'color-scheme'?: EmbedColorScheme;
  'sign-url'?: string;
  'signer-type'?: 'organisation' | 'representative' | 'individual';
  'oncohesion-signed'?: (event: CohesionEventMap['cohesion-signed']) => void;
  'oncohesion-error'?: (event: CohesionEventMap['cohesion-error']) => void;
  'oncohesion-count'?: (event: CohesionEventMap['cohesion-count']) => void;
}

declare global {
  interface HTMLElementTagNameMap {
    'cohesion-declaration': CohesionDeclaration;
  }
  // Declaration merging: the element's events typed wherever they bubble to, for the host page:
  // every element, the document and the window.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends CohesionEventMap {}
}
