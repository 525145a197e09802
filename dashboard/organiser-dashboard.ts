/**
 * `<cohesion-dashboard>`: the campaign organisers' page, served at `/admin`. The organiser signs
 * in with the server's ADMIN_TOKEN (kept in this tab's sessionStorage only), then sees the
 * totals, signatures per day, the breakdowns, and the tools: moderation of the public wall, CSV
 * export, erasure on request and the partner registry. The totals follow the public live counter, so they move as people sign.
 *
 * Attributes: `api`, the server's base URL (default: the folder of the page, so the page also
 * works behind a proxy that mounts the server under a path); `campaign` (default: `?campaign=`
 * in the page's address, then `cohesion-alliance`).
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { watchCount } from '../widget/live-count.js';
import { AdminApi, AdminApiError, type CampaignStats } from './dashboard-api.js';
import { ORGANISATION_KIND_LABELS, SIGNER_TYPE_LABELS, countryName, labelFor, renderBreakdown } from './dashboard-breakdown.js';
import './dashboard-baseline.js';
import './dashboard-chart.js';
import './dashboard-erasure.js';
import './dashboard-export.js';
import './dashboard-moderation.js';
import './dashboard-partners.js';
import { dashboardStyles } from './dashboard.styles.js';
import { CHANGED_EVENT, IDLE, describeFailure, describedBy, renderStatus, type Status } from './dashboard-ui.js';

const DEFAULT_CAMPAIGN = 'cohesion-alliance';
/** The least time between two reloads the live counter causes (ms): a busy hour is one reload per interval. */
export const LIVE_RELOAD_MS = 3000;

type Phase = 'signed-out' | 'signing-in' | 'signed-in';

export class CohesionDashboard extends LitElement {
  static override properties = {
    api: {},
    campaign: {},
    _phase: { state: true },
    _signInError: { state: true },
    _stats: { state: true },
    _status: { state: true },
    _updatedAt: { state: true },
    _paused: { state: true },
  };
  static override styles = dashboardStyles;

  /** The server's base URL; relative URLs resolve against the page. */
  api = '';
  /** Empty: from `?campaign=`, else cohesion-alliance. */
  campaign = '';

  private _phase: Phase = 'signed-out';
  private _signInError?: { text: string; disabled?: boolean };
  private _stats?: CampaignStats;
  private _status: Status = IDLE;
  private _updatedAt?: Date;
  private _client?: AdminApi;
  private _loading?: AbortController;
  private _stopLive?: () => void;
  private _liveTimer?: ReturnType<typeof setTimeout>;
  private _lastLoad = 0;
  /** The live updates paused by the organiser (for a screen reader, or to read a table in peace). */
  private _paused = false;

  private get _base() {
    return new URL(this.api || '.', document.baseURI).href.replace(/\/?$/, '/');
  }

  private get _campaign() {
    return this.campaign || new URLSearchParams(location.search).get('campaign') || DEFAULT_CAMPAIGN;
  }

  /** The page's language, for country names, numbers and dates. */
  private get _locale() {
    return this.closest('[lang]')?.getAttribute('lang') || navigator.language || 'en';
  }

  /** Per server, so a token is never sent to another one. */
  private get _storageKey() {
    return `cohesion-admin-token ${this._base}`;
  }

  override connectedCallback() {
    super.connectedCallback();
    this.addEventListener(CHANGED_EVENT, this._onChanged);
    const stored = sessionStorage.getItem(this._storageKey);
    if (stored) void this._signIn(stored, { restoring: true });
    else void this._probe();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.removeEventListener(CHANGED_EVENT, this._onChanged);
    this._stopLiveUpdates();
    this._loading?.abort();
  }

  /** Signatures were erased, or partners or the baseline changed: the numbers, the wall's entries and the baseline's partners are stale. */
  private readonly _onChanged = (event: Event) => {
    void this._load();
    // The panel that made the change has reloaded itself already.
    const source = event.composedPath()[0];
    for (const panel of this.renderRoot.querySelectorAll<HTMLElement & { reload(): Promise<void> }>(
      'cohesion-dashboard-moderation, cohesion-dashboard-baseline',
    )) {
      if (panel !== source) void panel.reload();
    }
  };

  override updated(changed: PropertyValues<this>) {
    // Another campaign, same token: its numbers and its live counter.
    if (changed.has('campaign') && changed.get('campaign') !== undefined && this._client) {
      if (!this._paused) this._startLiveUpdates();
      void this._load();
    }
  }

  private async _focus(selector: string) {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  // ---- signing in and out ---------------------------------------------------------------------

  private _submitToken(event: SubmitEvent) {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#token')!;
    const token = input.value.trim();
    if (!token) {
      this._signInError = { text: 'Paste the admin token.' };
      input.focus();
      return;
    }
    void this._signIn(token, { restoring: false });
  }

  private async _signIn(token: string, { restoring }: { restoring: boolean }) {
    this._phase = 'signing-in';
    const client: AdminApi = new AdminApi(this._base, token, () => {
      if (this._client === client) this._signOut('The server no longer accepts this token. Paste the admin token again.');
    });
    try {
      const stats = await client.stats(this._campaign);
      sessionStorage.setItem(this._storageKey, token);
      this._client = client;
      this._stats = stats;
      this._updatedAt = new Date();
      this._lastLoad = Date.now();
      this._signInError = undefined;
      this._status = IDLE;
      this._phase = 'signed-in';
      this._paused = false;
      this._startLiveUpdates();
      // After a reload of the page, focus stays where the browser put it.
      if (!restoring) void this._focus('#dashboard-heading');
    } catch (error) {
      this._phase = 'signed-out';
      this._signInError = this._signInFailure(error, restoring);
      if (error instanceof AdminApiError && error.status === 401) sessionStorage.removeItem(this._storageKey);
      await this._focus('#token');
    }
  }

  /**
   * Before any token is typed: a server started without ADMIN_TOKEN answers any admin call 404, so
   * the page can say so at once rather than after a token was pasted in vain.
   */
  private async _probe() {
    try {
      await new AdminApi(this._base, '').stats(this._campaign);
    } catch (error) {
      const off = this._signInFailure(error, false);
      if (off.disabled && this._phase === 'signed-out' && !this._signInError) this._signInError = off;
    }
  }

  private _signInFailure(error: unknown, restoring: boolean): { text: string; disabled?: boolean } {
    if (error instanceof AdminApiError) {
      if (error.status === 401) {
        return {
          text: restoring
            ? 'The server no longer accepts the token this tab kept. Paste the admin token again.'
            : 'The server did not accept this token. Check it and paste it again.',
        };
      }
      if (error.status === 404 && error.code === 'not_found') return { text: '', disabled: true };
      if (error.code === 'unknown_campaign') return { text: `This server has no campaign “${this._campaign}”. Check the address.` };
    }
    return { text: describeFailure(error) };
  }

  /** Back to the sign-in form; `reason` says why, next to the token field. */
  private _signOut(reason?: string) {
    sessionStorage.removeItem(this._storageKey);
    this._stopLiveUpdates();
    this._loading?.abort();
    this._client = undefined;
    this._stats = undefined;
    this._phase = 'signed-out';
    this._signInError = reason ? { text: reason } : undefined;
    void this._focus('#token');
  }

  // ---- numbers --------------------------------------------------------------------------------

  /** Fetches the stats again; `announce`: say so in the status line (a press of Refresh, not a live update). */
  private async _load({ announce = false } = {}) {
    if (!this._client) return;
    this._loading?.abort();
    const loading = (this._loading = new AbortController());
    this._lastLoad = Date.now();
    if (announce) this._status = { kind: 'busy', text: 'Updating…' };
    try {
      this._stats = await this._client.stats(this._campaign, loading.signal);
      this._updatedAt = new Date();
      if (announce) this._status = { kind: 'done', text: 'Updated.' };
    } catch (error) {
      if ((error as Error).name === 'AbortError' || !this._client) return;
      this._status = { kind: 'failed', text: describeFailure(error) };
    }
  }

  /** Reloads when the public live counter moves, at most once every LIVE_RELOAD_MS. */
  private _startLiveUpdates() {
    this._stopLiveUpdates();
    const client = this._client!;
    const path = `api/campaigns/${encodeURIComponent(this._campaign)}/`;
    let last: number | undefined;
    this._stopLive = watchCount(client.url(`${path}stream`), client.url(`${path}count`), ({ count }) => {
      // The first count may already be newer than the stats (someone signed while they loaded).
      const changed = last === undefined ? count !== this._stats?.count : count !== last;
      last = count;
      if (!changed || this._liveTimer) return;
      const wait = Math.max(0, this._lastLoad + LIVE_RELOAD_MS - Date.now());
      this._liveTimer = setTimeout(() => {
        this._liveTimer = undefined;
        void this._load();
      }, wait);
    });
  }

  /** Pauses the live updates, or resumes them with the numbers brought up to date. */
  private readonly _togglePaused = () => {
    this._paused = !this._paused;
    if (this._paused) {
      this._stopLiveUpdates();
      this._status = { kind: 'done', text: 'Live updates paused.' };
    } else {
      this._startLiveUpdates();
      void this._load();
      this._status = { kind: 'done', text: 'Live updates on.' };
    }
  };

  private _stopLiveUpdates() {
    this._stopLive?.();
    this._stopLive = undefined;
    clearTimeout(this._liveTimer);
    this._liveTimer = undefined;
  }

  // ---- rendering ------------------------------------------------------------------------------

  override render() {
    return html`<div class="root">${this._phase === 'signed-in' && this._stats ? this._renderDashboard(this._stats) : this._renderSignIn()}</div>`;
  }

  private _renderSignIn() {
    const error = this._signInError;
    const busy = this._phase === 'signing-in';
    const message = error?.disabled
      ? html`<div class="notice problem" id="token-error">
          <p><strong>The admin API is off on this server:</strong> it was started without <code>ADMIN_TOKEN</code>.</p>
          <p>
            To turn it on, set <code>ADMIN_TOKEN</code> in the server's environment to a secret of at least 16 characters (for
            example the output of <code>openssl rand -base64 32</code>), restart the server, then paste the same secret here.
          </p>
        </div>`
      : error?.text
        ? html`<p class="error" id="token-error">${error.text}</p>`
        : nothing;
    return html`<section class="sign-in" aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">Sign in</h2>
      <p id="token-help">
        Paste the admin token: the <code>ADMIN_TOKEN</code> this server was started with. This browser tab keeps it until you
        close the tab or sign out.
      </p>
      <form novalidate @submit=${this._submitToken}>
        <div class="field">
          <label for="token">Admin token</label>
          <input
            id="token"
            name="token"
            type="password"
            autocomplete="current-password"
            spellcheck="false"
            required
            aria-invalid=${error && !error.disabled ? 'true' : 'false'}
            aria-describedby=${describedBy('token-help', 'token-error', error ? 'yes' : undefined)}
          />
          ${message}
        </div>
        <button type="submit" aria-busy=${busy ? 'true' : 'false'}>${busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </section>`;
  }

  private _renderDashboard(stats: CampaignStats) {
    const locale = this._locale;
    const number = new Intl.NumberFormat(locale);
    const percent = new Intl.NumberFormat(locale, { style: 'percent' });
    const time = new Intl.DateTimeFormat(locale, { timeStyle: 'medium' });
    return html`
      <div class="toolbar">
        <h2 id="dashboard-heading" tabindex="-1">${stats.title} <code>${stats.campaign}</code></h2>
        <div class="actions">
          <button type="button" class="secondary" id="live-toggle" aria-pressed=${this._paused ? 'true' : 'false'} @click=${this._togglePaused}>
            Pause live updates
          </button>
          <button type="button" class="secondary" @click=${() => this._load({ announce: true })}>Refresh</button>
          <button type="button" class="secondary" @click=${() => this._signOut()}>Sign out</button>
        </div>
      </div>
      ${renderStatus(this._status)}
      <p class="help">
        ${this._updatedAt ? `Updated at ${time.format(this._updatedAt)}. ` : ''}
        ${this._paused ? 'Live updates are paused: the numbers change on Refresh only.' : 'The numbers update by themselves as people sign.'}
      </p>

      <section aria-labelledby="totals-heading">
        <h2 id="totals-heading">Signatures</h2>
        <dl class="totals">
          <div>
            <dt>In the public count</dt>
            <dd id="public-count">${number.format(stats.count)}</dd>
            <dd class="goal">
              <span id="goal">${percent.format(Math.min(1, stats.count / stats.goal))} of the goal of ${number.format(stats.goal)}</span>
              <!-- The sentence before it says the same. -->
              <progress max=${stats.goal} .value=${Math.min(stats.count, stats.goal)} aria-hidden="true"></progress>
            </dd>
          </div>
          <div><dt>Confirmed online</dt><dd id="confirmed">${number.format(stats.confirmed)}</dd></div>
          ${
            stats.baseline
              ? html`<div class="pending"><dt>Gathered elsewhere</dt><dd id="baseline">${number.format(stats.baseline)}</dd></div>`
              : nothing
          }
          <div class="pending"><dt>Waiting for email confirmation</dt><dd id="pending">${number.format(stats.pending)}</dd></div>
        </dl>
      </section>

      <section aria-labelledby="days-heading">
        <h2 id="days-heading">Confirmed signatures per day</h2>
        <cohesion-day-chart .days=${stats.byDay} locale=${locale}></cohesion-day-chart>
      </section>

      <div class="grid quad">
        ${[
          {
            id: 'countries',
            heading: 'By country',
            caption: 'Confirmed signatures by country',
            labelHeader: 'Country',
            rows: stats.byCountry.map(({ key, count }) => ({ label: countryName(key, locale), count })),
          },
          {
            id: 'by-partner',
            heading: 'By partner',
            caption: 'Confirmed signatures by partner site',
            labelHeader: 'Partner',
            rows: stats.byPartner.map(({ key, name, count }) =>
              key === null ? { label: 'No partner', count } : { label: name || key, note: name ? key : 'not registered', count },
            ),
          },
          {
            id: 'signer-types',
            heading: 'By signer',
            caption: 'Confirmed signatures by who signed',
            labelHeader: 'Signed as',
            rows: stats.bySignerType.map(({ key, count }) => ({ label: labelFor(SIGNER_TYPE_LABELS, key), count })),
          },
          {
            id: 'kinds',
            heading: 'By kind of organisation',
            caption: 'Confirmed signatures on behalf of an organisation, by its kind',
            labelHeader: 'Kind',
            empty: 'No organisation has signed yet.',
            rows: stats.byOrganisationKind.map(({ key, count }) => ({ label: labelFor(ORGANISATION_KIND_LABELS, key), count })),
          },
        ].map(
          ({ id, heading, ...table }) => html`<section aria-labelledby="${id}-heading">
            <h2 id="${id}-heading">${heading}</h2>
            ${renderBreakdown({ ...table, locale })}
          </section>`,
        )}
      </div>

      <cohesion-dashboard-moderation .api=${this._client} campaign=${stats.campaign} locale=${locale}></cohesion-dashboard-moderation>
      <cohesion-dashboard-baseline .api=${this._client} campaign=${stats.campaign} locale=${locale}></cohesion-dashboard-baseline>
      <div class="grid">
        <cohesion-dashboard-export .api=${this._client} campaign=${stats.campaign}></cohesion-dashboard-export>
        <cohesion-dashboard-erasure .api=${this._client} campaign=${stats.campaign}></cohesion-dashboard-erasure>
      </div>
      <cohesion-dashboard-partners .api=${this._client}></cohesion-dashboard-partners>
    `;
  }
}

if (!customElements.get('cohesion-dashboard')) customElements.define('cohesion-dashboard', CohesionDashboard);

declare global {
  interface HTMLElementTagNameMap {
    'cohesion-dashboard': CohesionDashboard;
  }
}
