/**
 * `<cohesion-dashboard-moderation>`: the public wall's moderation. Signers who claim an
 * organisation or an office (and, in a campaign that moderates everyone, all signers) wait here
 * until an organiser approves them; any entry can be hidden, and a hidden one approved again.
 * One list at a time: waiting for review, on the wall, or hidden. Each decision is said in the
 * status line, the entry leaves the list, and focus goes to the entry that took its place.
 * Nothing here changes a count, so the numbers are not reloaded.
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { AdminApiError, type AdminApi, type ModerationDecision, type WallEntry, type WallState } from './dashboard-api.js';
import { countryName } from './dashboard-breakdown.js';
import { dashboardStyles } from './dashboard.styles.js';
import { IDLE, describeFailure, renderStatus, type Status } from './dashboard-ui.js';

const VIEWS: Record<WallState, { label: string; empty: string; decisions: ModerationDecision[] }> = {
  awaiting: { label: 'Waiting for review', empty: 'Nothing is waiting for review.', decisions: ['approved', 'hidden'] },
  shown: { label: 'On the wall', empty: 'Nobody is on the wall yet.', decisions: ['hidden'] },
  hidden: { label: 'Hidden', empty: 'Nothing is hidden.', decisions: ['approved'] },
};

const BUTTONS: Record<ModerationDecision, string> = { approved: 'Approve', hidden: 'Hide' };

const SIGNED_AS: Record<string, string> = {
  individual: 'Individual',
  organisation: 'On behalf of an organisation',
  representative: 'Elected representative',
};

export class CohesionDashboardModeration extends LitElement {
  static override properties = {
    api: { attribute: false },
    campaign: {},
    locale: {},
    _view: { state: true },
    _entries: { state: true },
    _next: { state: true },
    _listFailure: { state: true },
    _deciding: { state: true },
    _status: { state: true },
  };
  static override styles = dashboardStyles;

  api?: AdminApi;
  campaign = '';
  /** For country names and dates. */
  locale = 'en';
  private _view: WallState = 'awaiting';
  private _entries?: WallEntry[];
  /** The cursor of the next page; null: none. */
  private _next: string | null = null;
  private _listFailure = '';
  /** The entry whose decision is on its way. */
  private _deciding?: number;
  private _status: Status = IDLE;
  /** Ignores a list that arrives after the view changed again. */
  private _loads = 0;

  override connectedCallback() {
    super.connectedCallback();
    void this.reload();
  }

  override updated(changed: PropertyValues<this>) {
    if (changed.has('campaign') && changed.get('campaign') !== undefined) void this.reload();
  }

  /** Fetches the first page of the list shown again; a failure shows in place of the list. */
  async reload() {
    if (!this.api) return;
    const load = ++this._loads;
    try {
      const { supporters, next } = await this.api.wallEntries(this.campaign, this._view);
      if (load !== this._loads) return;
      this._entries = supporters;
      this._next = next;
      this._listFailure = '';
    } catch (error) {
      if (load === this._loads) this._listFailure = describeFailure(error);
    }
  }

  private async _focus(selector: string) {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private _changeView(event: Event) {
    this._view = (event.target as HTMLSelectElement).value as WallState;
    this._entries = undefined;
    this._status = IDLE;
    void this.reload();
  }

  private async _more() {
    if (!this.api || !this._next || !this._entries) return;
    const load = ++this._loads;
    try {
      const { supporters, next } = await this.api.wallEntries(this.campaign, this._view, this._next);
      if (load !== this._loads) return;
      this._entries = [...this._entries, ...supporters];
      this._next = next;
      if (supporters.length) void this._focus(`[data-entry="${supporters[0]!.id}"] .name`);
    } catch (error) {
      if (load === this._loads) this._status = { kind: 'failed', text: describeFailure(error) };
    }
  }

  private async _decide(entry: WallEntry, decision: ModerationDecision) {
    if (!this.api || this._deciding !== undefined) return;
    this._deciding = entry.id;
    this._status = { kind: 'busy', text: decision === 'approved' ? `Approving ${entry.name}…` : `Hiding ${entry.name}…` };
    let gone = true;
    try {
      await this.api.moderate(this.campaign, entry.id, decision);
      this._status = {
        kind: 'done',
        text:
          decision === 'approved'
            ? `Approved ${entry.name}: on the public wall now.`
            : `Hid ${entry.name} from the public wall. The signature still counts.`,
      };
    } catch (error) {
      // 404: withdrawn or erased meanwhile.
      gone = error instanceof AdminApiError && error.status === 404;
      this._status = gone
        ? { kind: 'done', text: `${entry.name} is no longer on the wall: the signature was withdrawn or erased.` }
        : { kind: 'failed', text: describeFailure(error) };
    }
    this._deciding = undefined;
    if (!gone) return;
    // The entry leaves this list; focus goes to the one that took its place, else the one before it.
    const entries = this._entries ?? [];
    const index = entries.findIndex(({ id }) => id === entry.id);
    this._entries = entries.filter(({ id }) => id !== entry.id);
    if (!this._entries.length && this._next) await this.reload();
    const next = this._entries[Math.min(index, this._entries.length - 1)];
    void this._focus(next ? `[data-entry="${next.id}"] button` : '#moderation-heading');
  }

  override render() {
    return html`<div class="root">
      <section aria-labelledby="moderation-heading">
        <h2 id="moderation-heading" tabindex="-1">Public wall</h2>
        <p>
          Signers who chose to be listed appear on the public wall. Those who sign on behalf of an organisation or as an elected
          representative appear only once you approve them; hiding takes anyone off the wall, and the signature still counts. The wall shows
          a change within a minute.
        </p>
        <div class="field">
          <label for="wall-view">Show</label>
          <select id="wall-view" @change=${this._changeView}>
            ${(Object.keys(VIEWS) as WallState[]).map(
              (state) => html`<option value=${state} ?selected=${state === this._view}>${VIEWS[state].label}</option>`,
            )}
          </select>
        </div>
        ${this._renderList()} ${renderStatus(this._status)}
      </section>
    </div>`;
  }

  private _renderList() {
    const view = VIEWS[this._view];
    if (this._listFailure) return html`<p class="error">${this._listFailure}</p>`;
    if (!this._entries) return html`<p>Loading the wall…</p>`;
    if (!this._entries.length) return html`<p>${view.empty}</p>`;
    const date = new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium' });
    return html`<ul class="plain cards" aria-label=${view.label}>
        ${repeat(
          this._entries,
          (entry) => entry.id,
          (entry) =>
            html`<li data-entry=${entry.id}>
              <span class="name" tabindex="-1">${entry.name}</span>
              ${entry.role || entry.organisation ? html`<span>${[entry.role, entry.organisation].filter(Boolean).join(', ')}</span>` : nothing}
              <span class="code">${SIGNED_AS[entry.signerType] ?? entry.signerType}, ${countryName(entry.country, this.locale)}</span>
              <span class="code"
                >${entry.email}${entry.partner ? ` · via ${entry.partner}` : ''} · ${date.format(new Date(entry.signedAt))}</span
              >
              <div class="actions">
                ${view.decisions.map(
                  (decision) =>
                    html`<button
                      type="button"
                      class="${decision === 'approved' ? '' : 'secondary'} small"
                      aria-busy=${this._deciding === entry.id ? 'true' : 'false'}
                      data-decision=${decision}
                      @click=${() => this._decide(entry, decision)}
                    >
                      ${BUTTONS[decision]}<span class="visually-hidden"> ${entry.name}</span>
                    </button>`,
                )}
              </div>
            </li>`,
        )}
      </ul>
      ${this._next ? html`<button type="button" class="secondary" @click=${this._more}>Show more</button>` : nothing}`;
  }
}

if (!customElements.get('cohesion-dashboard-moderation'))
  customElements.define('cohesion-dashboard-moderation', CohesionDashboardModeration);

declare global {
  interface HTMLElementTagNameMap {
    'cohesion-dashboard-moderation': CohesionDashboardModeration;
  }
}
