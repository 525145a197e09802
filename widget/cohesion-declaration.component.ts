import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import styles from './cohesion-declaration.styles.js';
import { ApiClient, SignError, type Campaign, type SignStatus } from './api-client.js';
import { adoptStyles } from './adopt-styles.js';
import { LANGUAGE_NAMES, allLocales, resolveLocale, setLocale, getLocale } from './localization.js';
import type { CountUpdate } from './live-count.js';
import {
  MEMBER_STATES,
  ORGANISATION_KINDS,
  SIGNER_TYPES,
  type FieldErrorCode,
  type FieldErrors,
  type OrganisationKind,
  type SignerType,
} from '../contract/signature-codes.js';
import type { SignatureField } from '../contract/signature.js';

type SchemaModule = typeof import('../contract/signature.js');
type OutcomeModule = typeof import('./signing-outcome.js');
type BotCheckModule = typeof import('./bot-check.js');
type SupportersWall = import('./supporters-wall.js').SupportersWall;
let formModules: Promise<[SchemaModule, OutcomeModule, BotCheckModule]> | undefined;
/**
 * What signing needs beyond the first paint: the shared schema (zod inside), the thank-you and
 * failure states, and the proof of work. Chunks of their own, fetched once the visitor starts on
 * the form: a reader never pays for them.
 */
const loadFormModules = () =>
  (formModules ??= Promise.all([import('../contract/signature.js'), import('./signing-outcome.js'), import('./bot-check.js')]));

export interface CohesionSignedDetail {
  campaign: string;
  partner?: string;
  /** `counted`: the signature counts now; `pending`: once the signer confirms their email. */
  status: SignStatus;
}
export interface CohesionErrorDetail {
  kind: SignError['kind'] | 'load';
  status?: number;
}
export interface CohesionCountDetail {
  campaign: string;
  count: number;
  /** Signatures through this element's partner, when `partner` is set. */
  partnerCount?: number;
}

export type Variant = 'full' | 'compact' | 'counter' | 'supporters';

/** The next goal once one is passed: 1, 2, 5, 10, 20, 50… times a power of ten. */
export function nextGoal(goal: number, count: number) {
  while (goal > 0 && count >= goal) {
    const magnitude = 10 ** Math.floor(Math.log10(goal));
    const lead = goal / magnitude;
    goal = (lead < 2 ? 2 : lead < 5 ? 5 : 10) * magnitude;
  }
  return goal;
}

type FormValues = {
  signerType: SignerType;
  name: string;
  organisation: string;
  organisationKind: OrganisationKind | '';
  role: string;
  country: string;
  email: string;
  consent: boolean;
  newsletter: boolean;
  listPublicly: boolean;
  website: string;
};

const EMPTY_FORM: FormValues = {
  signerType: 'individual',
  name: '',
  organisation: '',
  organisationKind: '',
  role: '',
  country: '',
  email: '',
  consent: false,
  newsletter: false,
  listPublicly: false,
  website: '',
};

/** The fields each signer type shows, in order. */
const FIELDS_FOR: Record<SignerType, SignatureField[]> = {
  individual: ['signerType', 'name', 'country', 'email', 'consent'],
  organisation: ['signerType', 'name', 'organisation', 'organisationKind', 'country', 'email', 'consent'],
  representative: ['signerType', 'name', 'role', 'organisation', 'country', 'email', 'consent'],
};

/**
 * The #CohesionAlliance Declaration of Principles, to read and sign on any page.
 *
 * @tagname cohesion-declaration
 *
 * @fires cohesion-signed - A signature was accepted. `detail`: `{campaign, partner, status}`.
 * @fires cohesion-error - Signing or loading failed. `detail`: `{kind, status}`.
 * @fires cohesion-count - The number of supporters is known or changed. `detail`: `{campaign, count}`.
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
 * @csspart supporters - `supporters` only: the wall of those who signed and chose to be listed.
 * @csspart supporter - `supporters` only: one supporter on the wall.
 * @csspart more-button - `supporters` only: the button that shows the next page of supporters.
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
 * @cssprop --cohesion-font-size - Base size. Default `16px`.
 * @cssprop --cohesion-radius - Corner radius. Default `6px`.
 * @cssprop --cohesion-spacing - Base spacing. Default `1rem`.
 * @cssprop --cohesion-focus-ring - Focus outline. Default `3px solid #f5a623`.
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
    _campaign: { state: true },
    _count: { state: true },
    _partnerCount: { state: true },
    _shownCount: { state: true },
    _paused: { state: true },
    _loadFailed: { state: true },
    _values: { state: true },
    _touched: { state: true },
    _dirty: { state: true },
    _submitted: { state: true },
    _serverErrors: { state: true },
    _sending: { state: true },
    _failure: { state: true },
    _signed: { state: true },
    _announcement: { state: true },
    _open: { state: true },
    _copied: { state: true },
    _outcome: { state: true },
  };

  constructor() {
    super();
    // Re-render when the language changes.
    updateWhenLocaleChanges(this);
  }

  /** The API base the script was loaded from; the entry module sets it. */
  static defaultApi = '';

  /** Base URL of the API. Default: the server the script was loaded from. */
  api?: string;

  /** Which declaration to sign. */
  campaign = 'cohesion-alliance';

  /** Partner id, stored with each signature for attribution. */
  partner?: string;

  /** Language. Default: the nearest `lang` in the page, then the browser's languages, then English. */
  override lang = '';

  /**
   * `full`: declaration, counter and form; `compact`: counter and a button that opens the rest in
   * place; `counter`: the counter alone, for a sidebar or footer; `supporters`: the counter and
   * the wall of those who signed and chose to be listed.
   */
  variant: Variant = 'full';

  /** `light`, `dark`, or `auto` (the visitor's system setting). Default: the host page's `color-scheme`. */
  colorScheme?: 'light' | 'dark' | 'auto';

  private _campaign?: Campaign;
  private _count?: number;
  private _partnerCount?: number;
  /** The number on screen while it counts up to `_count`. */
  private _shownCount?: number;
  /** The visitor paused live updates (WCAG 2.2.2); the count stays as it was shown. */
  private _paused = false;
  private _loadFailed = false;
  private _values: FormValues = { ...EMPTY_FORM };
  private _touched = new Set<string>();
  private _dirty = new Set<string>();
  private _submitted = false;
  private _serverErrors: FieldErrors = {};
  private _sending = false;
  private _failure?: SignError;
  private _signed?: SignStatus;
  private _announcement = '';
  /** `compact` only: the visitor opened the form. */
  private _open = false;
  private _copied = false;
  private _outcome?: OutcomeModule;
  /** `supporters` only, once its chunk has loaded. */
  private _wall?: SupportersWall;

  /** The schema module once loaded; until then no field shows an error of its own. */
  private _schema?: SchemaModule;
  private _botCheck?: ReturnType<BotCheckModule['startBotCheck']>;
  private _client?: ApiClient;
  private _loading?: AbortController;
  private _pageLang?: MutationObserver;
  private _unwatch?: () => void;
  private _latest?: CountUpdate;
  private _progress = 0;
  /** The title whose size was last fitted to its place. */
  private _fitted?: string | null;
  private _frame = 0;

  override connectedCallback() {
    super.connectedCallback();
    // Watching the count again after a move in the page.
    this.requestUpdate();
    // The host page's language can change after load; follow it when ours is not set.
    this._pageLang = new MutationObserver(() => this._applyLocale());
    this._pageLang.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this._pageLang?.disconnect();
    this._loading?.abort();
    this._unwatch?.();
    this._unwatch = undefined;
    cancelAnimationFrame(this._frame);
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('api') || changed.has('campaign')) {
      this._client = new ApiClient(this.api || CohesionDeclaration.defaultApi || location.href, this.campaign);
      this._load();
    }
    if (this.variant === 'supporters' && (changed.has('variant') || changed.has('api') || changed.has('campaign'))) {
      const client = this._client!;
      import('./supporters-wall.js').then(({ SupportersWall }) => {
        if (this._wall) this.removeController(this._wall);
        this._wall = new SupportersWall(this, (cursor) => client.supportersUrl(cursor));
      });
    }
    // Only while in the page: a detached element holds no stream.
    if (this.isConnected && (changed.has('api') || changed.has('campaign') || changed.has('partner') || !this._unwatch)) {
      this._unwatch?.();
      const [client, partner] = [this._client!, this.partner];
      // The live feed is a chunk of its own: the campaign's answer already carries the count.
      let stopped = false;
      this._unwatch = () => (stopped = true);
      import('./live-count.js').then(({ watchCount }) => {
        if (!stopped) this._unwatch = watchCount(client.streamUrl(partner), client.countUrl(partner), (update) => this._onCount(update));
      });
    }
    if (changed.has('lang')) this._applyLocale();
  }

  protected override updated() {
    // Through the CSSOM, not a style attribute, which a strict CSP on the host page would block.
    this.renderRoot.querySelector<HTMLElement>('.bar > div')?.style.setProperty('inline-size', `${this._progress}%`);
    // A title longer than its place (some languages, narrow columns) is set smaller, once per
    // title. Should the column narrow later, the title grows its place rather than overflow it.
    const title = this.renderRoot.querySelector<HTMLElement>('[part=header] h2');
    if (title && title.textContent !== this._fitted) {
      this._fitted = title.textContent;
      const place = parseFloat(getComputedStyle(title).minBlockSize);
      for (let fit = 1; fit > 0.6; fit -= 0.05) {
        title.style.setProperty('--fit', `${fit}`);
        if (title.offsetHeight <= place) break;
      }
    }
  }

  private _onCount(update: CountUpdate) {
    this._latest = update;
    if (!this._paused) this._showCount(update);
  }

  private _showCount({ count, partnerCount }: CountUpdate) {
    this._partnerCount = partnerCount;
    this._setCount(count);
  }

  private _applyLocale() {
    const locale = resolveLocale(this);
    if (locale === getLocale()) {
      if (this._campaign && this._campaign.lang !== locale) this._load();
      return;
    }
    setLocale(locale).then(
      () => this._load(),
      () => this._emit('cohesion-error', { kind: 'load' }),
    );
  }

  private async _load() {
    this._loading?.abort();
    const loading = (this._loading = new AbortController());
    try {
      const campaign = await this._client!.campaignInfo(resolveLocale(this), loading.signal);
      if (loading.signal.aborted) return;
      this._campaign = campaign;
      this._loadFailed = false;
      // The live feed's number is newer than a campaign answer that may come from a cache.
      if (!this._latest) this._setCount(campaign.count);
    } catch {
      if (loading.signal.aborted) return;
      this._loadFailed = true;
      this._emit('cohesion-error', { kind: 'load' });
    }
  }

  private _setCount(count: number) {
    if (count === this._count) return;
    this._animateCount(this._count, count);
    this._count = count;
    this._emit('cohesion-count', { campaign: this.campaign, count, partnerCount: this._partnerCount });
  }

  /** Counts up (or down) to the new number over a moment; at once under reduced motion. */
  private _animateCount(from: number | undefined, to: number) {
    cancelAnimationFrame(this._frame);
    if (from === undefined || matchMedia('(prefers-reduced-motion: reduce)').matches) {
      this._shownCount = to;
      return;
    }
    const start = performance.now();
    const step = (now: number) => {
      const progress = Math.min(1, (now - start) / 600);
      this._shownCount = Math.round(from + (to - from) * (1 - (1 - progress) ** 3));
      if (progress < 1) this._frame = requestAnimationFrame(step);
    };
    this._frame = requestAnimationFrame(step);
  }

  /** @internal */
  private _emit<K extends keyof CohesionEventMap>(name: K, detail: CohesionEventMap[K]['detail']) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  // ---- rendering ---------------------------------------------------------------------------

  override render() {
    const campaign = this._campaign;
    // The final layout from the first frame: what the campaign fills in has its place reserved
    // (see the styles), so neither the widget nor the host page below it moves when it arrives.
    // Each part carries its language, so screen readers pronounce it right.
    if (this.variant === 'counter' || this.variant === 'supporters') {
      return html`<div class="root" lang=${getLocale()}>${this._renderCounter(campaign)}${this._wall?.render()}</div>`;
    }
    if (this.variant === 'compact' && !this._open) {
      return html`<div class="root" lang=${getLocale()}>
        <div part="header" lang=${campaign?.lang ?? nothing}><h2>${campaign?.title}</h2></div>
        ${this._renderCounter(campaign)}
        <button part="open-button" type="button" aria-expanded="false" @click=${this._onOpen}>
          ${msg('Sign the declaration')}
        </button>
      </div>`;
    }
    return html`<div class="root" lang=${getLocale()}>
      <div role="status" class="visually-hidden">${this._announcement}</div>
      ${this._renderLanguagePicker()}
      <div part="header" lang=${campaign?.lang ?? nothing}>
        <h2>${campaign?.title}</h2>
        ${campaign
          ? html`<p class="intro">${campaign.introduction}</p>`
          : this._loadFailed
            ? html`<p class="intro problem">${msg('The declaration could not be loaded. Please try again later.')}</p>`
            : html`<p class="intro">${msg('Loading the declaration…')}</p>`}
        <details part="declaration">
          <summary>${msg('Read the declaration')}</summary>
          <div class="declaration">${campaign?.declaration.map((p) => html`<p>${p}</p>`)}</div>
        </details>
      </div>
      ${this._renderCounter(campaign)}
      ${this._signed && this._outcome
        ? this._outcome.renderThanks(
            this._signed,
            campaign && { url: location.origin + location.pathname + location.search, hashtag: campaign.hashtag, title: campaign.title },
            this._copied,
            () => this._onCopy(),
          )
        : this._renderForm()}
    </div>`;
  }

  /** Every language by its own name, as on the Alliance's own site. */
  private _renderLanguagePicker() {
    const current = getLocale();
    return html`<div class="languages">
      <label for="language">${msg('Language')}</label>
      <select id="language" part="language" @change=${this._onLanguage}>
        ${allLocales.map(
          (locale) =>
            html`<option value=${locale} lang=${locale} ?selected=${locale === current}>
              ${LANGUAGE_NAMES[locale]}
            </option>`,
        )}
      </select>
    </div>`;
  }

  private _onLanguage(event: Event) {
    this.lang = (event.target as HTMLSelectElement).value;
  }

  /** The counter, its lines in place (empty) until the count and the goal are known. */
  private _renderCounter(campaign?: Campaign) {
    const count = this._count ?? campaign?.count;
    const shown = this._shownCount ?? count;
    const number = new Intl.NumberFormat(getLocale());
    const goal = campaign && nextGoal(campaign.goal, count!);
    this._progress = goal ? Math.min(100, (shown! / Math.max(1, goal)) * 100) : 0;
    // Not a live region: a number that changes every second would drown a screen reader.
    return html`<div part="counter" class="counter">
      <div class="line">${count === undefined
        ? nothing
        : html`<span class="count">${number.format(shown!)}</span> ${this._supporters(count)}`}</div>
      <div class="bar" aria-hidden="true"><div></div></div>
      <div class="help goal">${goal ? msg(str`Next goal: ${number.format(goal)}`) : nothing}</div>
      ${this.partner
        ? html`<div class="help">${this._partnerCount
            ? msg(str`Signed via this site: ${number.format(this._partnerCount)}`)
            : nothing}</div>`
        : nothing}
      <button class="link" type="button" aria-pressed=${this._paused ? 'true' : 'false'} @click=${this._onPause}>
        ${msg('Pause live updates')}
      </button>
    </div>`;
  }

  /** "supporters" in the plural form the language uses for `count` (one, few, many…). */
  private _supporters(count: number) {
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

  private _onPause() {
    this._paused = !this._paused;
    // Resuming shows where the count is now.
    if (!this._paused && this._latest) this._showCount(this._latest);
  }

  private async _onOpen() {
    this._open = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[name=signerType]:checked')?.focus();
  }

  private async _onCopy() {
    try {
      await navigator.clipboard.writeText(location.href);
      this._copied = true;
      this._announcement = msg('Link copied');
    } catch {
      // No clipboard (permissions, insecure page): the links stay.
    }
  }

  private _renderForm() {
    const values = this._values;
    const shown = FIELDS_FOR[values.signerType];
    const errors = this._visibleErrors();
    const problems = shown.filter((field) => errors[field]);
    return html`<form part="form" novalidate @submit=${this._onSubmit} @focusin=${this._loadFormModules} @focusout=${this._onFocusOut}>
      ${this._submitted && problems.length
        ? html`<div part="error-summary" class="summary" tabindex="-1">
            <h3>${msg('Please correct the following:')}</h3>
            <ul>
              ${problems.map(
                (field) =>
                  html`<li><a href="#${field}" @click=${this._onSummaryLink}>${this._outcome?.fieldErrorText(field, errors[field]!)}</a></li>`,
              )}
            </ul>
          </div>`
        : nothing}
      ${this._failure && this._failure.kind !== 'invalid' ? this._outcome?.renderFailure(this._failure) : nothing}
      <fieldset>
        <legend>${msg('I am signing as')}</legend>
        <div class="choices">
          ${SIGNER_TYPES.map(
            (type) => html`<label class="check">
              <input
                type="radio"
                name="signerType"
                .value=${type}
                .checked=${values.signerType === type}
                @change=${this._onInput}
              />
              ${this._signerTypeLabel(type)}
            </label>`,
          )}
        </div>
      </fieldset>
      ${this._textField('name', msg('Full name'), 'name', errors)}
      ${shown.includes('role') ? this._textField('role', msg('Role or office'), 'organization-title', errors, msg('For example: Mayor of Plovdiv')) : nothing}
      ${shown.includes('organisation')
        ? this._textField('organisation', values.signerType === 'organisation' ? msg('Organisation') : msg('Organisation (optional)'), 'organization', errors)
        : nothing}
      ${shown.includes('organisationKind')
        ? this._select(
            'organisationKind',
            msg('Kind of organisation'),
            ORGANISATION_KINDS.map((kind) => [kind, this._organisationKindLabel(kind)]),
            errors,
          )
        : nothing}
      ${this._select('country', msg('Country'), this._countryOptions(), errors, 'country')}
      ${this._textField('email', msg('Email'), 'email', errors, msg('We send you a link to confirm your signature. Your email is never shown to anyone.'), 'email')}
      <div class="field">
        <label class="check">
          <input
            type="checkbox"
            id="consent"
            name="consent"
            .checked=${values.consent}
            aria-invalid=${errors.consent ? 'true' : 'false'}
            aria-describedby=${errors.consent ? 'consent-error' : nothing}
            @change=${this._onInput}
          />
          <!-- The organiser's consent text, in the version the server records with the signature. -->
          <span lang=${this._campaign?.lang ?? nothing}>
            ${this._campaign?.consentText ?? msg('I agree that my data is processed to record my signature.')}
          </span>
        </label>
        ${this._fieldError('consent', errors)}
        <a class="help" href=${this._campaign?.privacyUrl ?? '#'} target="_blank" rel="noopener">${msg('Read the privacy notice')}</a>
      </div>
      <label class="check">
        <input type="checkbox" name="newsletter" .checked=${values.newsletter} @change=${this._onInput} />
        ${msg('Keep me informed about the campaign (optional)')}
      </label>
      <label class="check">
        <input type="checkbox" name="listPublicly" .checked=${values.listPublicly} @change=${this._onInput} />
        ${msg('Show my name in the public list of supporters (optional)')}
      </label>
      <!-- A field only bots fill in: out of sight, out of the tab order, hidden from screen readers. -->
      <div class="visually-hidden" aria-hidden="true">
        <label>Website <input name="website" tabindex="-1" autocomplete="off" .value=${this._values.website} @input=${this._onInput} /></label>
      </div>
      <button part="submit-button" type="submit" aria-busy=${this._sending ? 'true' : 'false'}>
        ${this._sending ? msg('Signing…') : msg('Sign the declaration')}
      </button>
    </form>`;
  }

  private _textField(
    field: SignatureField,
    label: string,
    autocomplete: string,
    errors: FieldErrors,
    help?: string,
    type = 'text',
  ) {
    return html`<div class="field">
      <label for=${field}>${label}</label>
      ${help ? html`<span class="help" id="${field}-help">${help}</span>` : nothing}
      <input
        id=${field}
        name=${field}
        type=${type}
        autocomplete=${autocomplete}
        .value=${String(this._values[field as keyof FormValues])}
        aria-invalid=${errors[field] ? 'true' : 'false'}
        aria-describedby=${this._describedBy(field, errors, help)}
        @input=${this._onInput}
      />
      ${this._fieldError(field, errors)}
    </div>`;
  }

  private _select(
    field: SignatureField,
    label: string,
    options: [string, string][],
    errors: FieldErrors,
    autocomplete = 'off',
  ) {
    const value = String(this._values[field as keyof FormValues]);
    return html`<div class="field">
      <label for=${field}>${label}</label>
      <select
        id=${field}
        name=${field}
        autocomplete=${autocomplete}
        aria-invalid=${errors[field] ? 'true' : 'false'}
        aria-describedby=${this._describedBy(field, errors)}
        @change=${this._onInput}
      >
        <option value="" ?selected=${!value}>${msg('Choose…')}</option>
        ${options.map(([code, name]) => html`<option value=${code} ?selected=${value === code}>${name}</option>`)}
      </select>
      ${this._fieldError(field, errors)}
    </div>`;
  }

  private _describedBy(field: string, errors: FieldErrors, help?: string) {
    const ids = [help && `${field}-help`, errors[field] && `${field}-error`].filter(Boolean);
    return ids.length ? ids.join(' ') : nothing;
  }

  private _fieldError(field: SignatureField, errors: FieldErrors) {
    const code = errors[field];
    return code ? html`<span class="error" id="${field}-error">${this._outcome?.fieldErrorText(field, code)}</span>` : nothing;
  }

  // ---- words ---------------------------------------------------------------------------------

  private _signerTypeLabel(type: SignerType) {
    return {
      individual: msg('An individual'),
      organisation: msg('On behalf of an organisation'),
      representative: msg('An elected representative'),
    }[type];
  }

  private _organisationKindLabel(kind: OrganisationKind) {
    return {
      'national-authority': msg('National authority'),
      'regional-authority': msg('Regional authority'),
      'local-authority': msg('Local authority'),
      business: msg('Business or SME'),
      ngo: msg('Non-governmental organisation'),
      school: msg('School'),
      university: msg('University'),
      cultural: msg('Cultural organisation'),
      other: msg('Other'),
    }[kind];
  }

  /** The 27 member states by their names in the visitor's language, then "other". */
  private _countryOptions(): [string, string][] {
    const locale = getLocale();
    const names = new Intl.DisplayNames([locale], { type: 'region' });
    const collator = new Intl.Collator(locale);
    const states = MEMBER_STATES.map((code): [string, string] => [code, names.of(code) ?? code]).sort((a, b) =>
      collator.compare(a[1], b[1]),
    );
    return [...states, ['other', msg('Another country')]];
  }

  // ---- behaviour -----------------------------------------------------------------------------

  /** Errors the visitor should see now: after a field was touched and changed, or after submit. */
  private _visibleErrors(): FieldErrors {
    const errors: FieldErrors = {};
    for (const field of FIELDS_FOR[this._values.signerType]) {
      const show = this._submitted || (this._touched.has(field) && this._dirty.has(field));
      const code = this._serverErrors[field] ?? this._clientError(field);
      if (show && code) errors[field] = code;
    }
    return errors;
  }

  private _clientError(field: SignatureField): FieldErrorCode | undefined {
    const values = this._values;
    const value = values[field as keyof FormValues];
    const type = values.signerType;
    const needed =
      (field === 'organisation' && type === 'organisation') ||
      (field === 'organisationKind' && type === 'organisation') ||
      (field === 'role' && type === 'representative');
    if (needed && !String(value).trim()) return 'required';
    return this._schema?.checkField(field, value === '' && field !== 'name' && field !== 'email' ? undefined : value);
  }

  private async _loadFormModules() {
    const [schema, outcome, botCheck] = await loadFormModules();
    [this._schema, this._outcome] = [schema, outcome];
    adoptStyles(this.renderRoot as ShadowRoot, outcome.styles);
    // The proof of work starts now and runs while the visitor fills in the form.
    this._botCheck ??= botCheck.startBotCheck(this._client!.challengeUrl());
  }

  /** The proof of work's answer, or nothing where the server asks for none (bot protection off). */
  private async _altcha(): Promise<{ altcha?: string }> {
    try {
      return { altcha: await this._botCheck!.solution() };
    } catch {
      return {};
    }
  }

  private _onInput(event: Event) {
    const input = event.target as HTMLInputElement | HTMLSelectElement;
    const field = input.name as keyof FormValues;
    const value = input instanceof HTMLInputElement && input.type === 'checkbox' ? input.checked : input.value;
    this._values = { ...this._values, [field]: value };
    this._dirty = new Set(this._dirty).add(field);
    if (this._serverErrors[field]) {
      const { [field]: _fixed, ...rest } = this._serverErrors;
      this._serverErrors = rest;
    }
    // A checkbox or a select is done the moment it changes.
    if (input.type === 'checkbox' || input.type === 'radio' || input instanceof HTMLSelectElement) this._markTouched(field);
  }

  private _onFocusOut(event: FocusEvent) {
    const name = (event.target as HTMLInputElement).name;
    if (name) this._markTouched(name);
  }

  private _markTouched(field: string) {
    if (!this._touched.has(field)) this._touched = new Set(this._touched).add(field);
  }

  private _onSummaryLink(event: Event) {
    event.preventDefault();
    const id = (event.currentTarget as HTMLAnchorElement).hash.slice(1);
    (this.renderRoot.querySelector(`#${id}`) as HTMLElement | null)?.focus();
  }

  private _signature() {
    const { organisation, organisationKind, role, website, ...values } = this._values;
    const type = values.signerType;
    return {
      ...values,
      ...(website ? { website } : {}),
      ...(type !== 'individual' && organisation.trim() ? { organisation } : {}),
      ...(type === 'organisation' && organisationKind ? { organisationKind } : {}),
      ...(type === 'representative' && role.trim() ? { role } : {}),
      // A malformed partner id is the webmaster's slip, not the visitor's: sign without it.
      ...(this.partner && !this._schema?.checkField('partner', this.partner) ? { partner: this.partner } : {}),
      lang: getLocale(),
      // Not from a file or an about:srcdoc frame, whose addresses are not pages of a site.
      ...(/^https?:$/.test(location.protocol) ? { page: location.origin + location.pathname } : {}),
    };
  }

  private async _onSubmit(event: Event) {
    event.preventDefault();
    // Busy from the first click, so that a double click sends once.
    if (this._sending) return;
    this._sending = true;
    this._submitted = true;
    this._failure = undefined;
    try {
      await this._loadFormModules();
      const checked = this._schema!.validateSignature(this._signature());
      if (!checked.ok || Object.keys(this._visibleErrors()).length) {
        await this._focusSummary();
        return;
      }
      const result = await this._client!.sign({ ...checked.value, ...(await this._altcha()) });
      this._signed = result.status;
      if (result.count !== undefined) this._setCount(result.count);
      this._announcement = this._outcome!.thanksAnnouncement(result.status);
      this._emit('cohesion-signed', { campaign: this.campaign, partner: this.partner, status: result.status });
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[part=thanks] h3')?.focus();
    } catch (error) {
      const failure = error instanceof SignError ? error : new SignError('server');
      this._failure = failure;
      this._serverErrors = failure.fields;
      this._emit('cohesion-error', { kind: failure.kind, status: failure.status });
      if (failure.kind === 'invalid') await this._focusSummary();
    } finally {
      this._sending = false;
    }
  }

  private async _focusSummary() {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part=error-summary]')?.focus();
  }
}

export interface CohesionEventMap {
  'cohesion-signed': CustomEvent<CohesionSignedDetail>;
  'cohesion-error': CustomEvent<CohesionErrorDetail>;
  'cohesion-count': CustomEvent<CohesionCountDetail>;
}

declare global {
  interface HTMLElementTagNameMap {
    'cohesion-declaration': CohesionDeclaration;
  }
  interface HTMLElementEventMap extends CohesionEventMap {}
}
