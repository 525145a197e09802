/**
 * `<cohesion-dashboard-baseline>`: supporters gathered elsewhere (a previous platform, paper
 * lists, events), recorded as dated, labelled entries that the public count includes. Listed
 * apart from the online signatures, with their total; an entry is removed only after an in-page
 * confirmation. A change fires `cohesion-dashboard-changed`.
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { type AdminApi, type BaselineAnswer, type BaselineEntry, type Partner } from './dashboard-api.js';
import { dashboardStyles } from './dashboard.styles.js';
import {
  IDLE,
  announceChange,
  describeFailure,
  describedBy,
  formFailure,
  removalOutcome,
  renderConfirm,
  renderFieldError,
  renderStatus,
  type Status,
} from './dashboard-ui.js';

const FIELDS = ['count', 'note', 'date', 'partner'] as const;

export class CohesionDashboardBaseline extends LitElement {
  static override properties = {
    api: { attribute: false },
    campaign: {},
    locale: {},
    _baseline: { state: true },
    _partners: { state: true },
    _errors: { state: true },
    _removing: { state: true },
    _status: { state: true },
  };
  static override styles = dashboardStyles;

  api?: AdminApi;
  campaign = '';
  locale = 'en';
  private _baseline?: BaselineAnswer;
  private _partners: Partner[] = [];
  private _errors: Record<string, string> = {};
  /** The entry waiting for the remove confirmation. */
  private _removing?: BaselineEntry;
  private _status: Status = IDLE;
  private _listFailure = '';

  override connectedCallback() {
    super.connectedCallback();
    void this.reload();
  }

  override updated(changed: PropertyValues<this>) {
    if (changed.has('campaign') && changed.get('campaign') !== undefined) void this.reload();
  }

  /** Fetches the entries and the partners to choose from again; a failure shows in place of the list. */
  async reload() {
    if (!this.api || !this.campaign) return;
    try {
      [this._baseline, this._partners] = await Promise.all([this.api.baseline(this.campaign), this.api.partners()]);
      this._listFailure = '';
    } catch (error) {
      this._listFailure = describeFailure(error);
      this.requestUpdate();
    }
  }

  private async _focus(selector: string) {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private async _add(event: SubmitEvent) {
    event.preventDefault();
    if (!this.api || this._status.kind === 'busy') return;
    const form = event.target as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    const errors: Record<string, string> = {};
    if (!/^\d+$/.test(value('count'))) errors['count'] = 'A whole number from 1 to 10,000,000.';
    if (!value('note')) errors['note'] = 'Say where they come from, e.g. "Paper lists, Plovdiv forum".';
    this._errors = errors;
    if (Object.keys(errors).length) {
      void this._focus(`#baseline-${FIELDS.find((field) => errors[field])}`);
      return;
    }
    this._status = { kind: 'busy', text: 'Adding…' };
    try {
      const entry = await this.api.addBaseline(this.campaign, {
        count: Number(value('count')),
        note: value('note'),
        ...(value('date') ? { date: value('date') } : {}),
        ...(value('partner') ? { partner: value('partner') } : {}),
      });
      form.reset();
      // The list first, so the status line speaks of what is shown.
      await this.reload();
      this._status = { kind: 'done', text: `Added ${this._number(entry.count)} supporters: ${entry.note}.` };
      announceChange(this);
    } catch (error) {
      const { errors, first, status } = formFailure(error, FIELDS);
      [this._errors, this._status] = [errors, status];
      if (first) void this._focus(`#baseline-${first}`);
    }
  }

  private _askRemove(entry: BaselineEntry) {
    this._removing = entry;
    this._status = IDLE;
    void this._focus('#remove-baseline-question');
  }

  private _cancelRemove() {
    const id = this._removing?.id;
    this._removing = undefined;
    if (id !== undefined) void this._focus(`[data-remove="${id}"]`);
  }

  private async _remove() {
    const entry = this._removing;
    if (!this.api || !entry || this._status.kind === 'busy') return;
    this._status = { kind: 'busy', text: 'Removing…' };
    const status = await removalOutcome(
      this.api.removeBaseline(this.campaign, entry.id),
      `Removed ${this._number(entry.count)} supporters: ${entry.note}.`,
      'That entry was already gone.',
    );
    this._removing = undefined;
    await this.reload();
    this._status = status;
    announceChange(this);
    void this._focus('#baseline-heading');
  }

  private _number(n: number) {
    return new Intl.NumberFormat(this.locale).format(n);
  }

  override render() {
    return html`<div class="root"><section aria-labelledby="baseline-heading">
      <h2 id="baseline-heading" tabindex="-1">Supporters gathered elsewhere</h2>
      <p>
        Supporters the campaign gathered before this site or beside it: a previous platform, paper lists, events. The public
        count, and the partner's count, include them; the numbers above, the export and the public wall hold online
        signatures only.
      </p>
      ${this._renderList()} ${this._renderForm()} ${renderStatus(this._status)}
    </section></div>`;
  }

  private _renderList() {
    if (this._listFailure) return html`<p class="error">${this._listFailure}</p>`;
    const baseline = this._baseline;
    if (!baseline) return html`<p>Loading…</p>`;
    if (!baseline.entries.length) return html`<p id="baseline-total">None recorded: the public count is the online signatures alone.</p>`;
    const date = new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeZone: 'UTC' });
    const partnerName = (id: string) => this._partners.find((partner) => partner.id === id)?.name ?? id;
    return html`<p id="baseline-total">
        In the public count: <strong>${this._number(baseline.total)}</strong> gathered elsewhere, in
        ${baseline.entries.length === 1 ? 'one entry' : `${baseline.entries.length} entries`}.
      </p>
      <ul class="plain cards" aria-label="Supporters gathered elsewhere">
        ${baseline.entries.map(
          (entry) => html`<li data-entry=${entry.id}>
            <span><span class="name">${this._number(entry.count)}</span> ${entry.note}</span>
            <span class="code">
              Gathered by ${date.format(new Date(`${entry.date}T00:00:00Z`))}${entry.partner === null ? '' : `, for ${partnerName(entry.partner)}`}
            </span>
            <div class="actions">
              <button type="button" class="secondary small" data-remove=${entry.id} @click=${() => this._askRemove(entry)}>
                Remove<span class="visually-hidden"> ${entry.note}</span>
              </button>
            </div>
          </li>`,
        )}
      </ul>
      ${
        this._removing
          ? renderConfirm({
              id: 'remove-baseline-question',
              question: `Remove "${this._removing.note}"? The public count falls by ${this._number(this._removing.count)}.`,
              confirm: 'Yes, remove',
              busy: this._status.kind === 'busy',
              onConfirm: () => this._remove(),
              onCancel: () => this._cancelRemove(),
            })
          : nothing
      }`;
  }

  private _renderForm() {
    const errors = this._errors;
    const field = (name: (typeof FIELDS)[number], help?: string) => ({
      invalid: errors[name] ? ('true' as const) : ('false' as const),
      describedBy: describedBy(help, `baseline-${name}-error`, errors[name]),
    });
    const today = new Date().toISOString().slice(0, 10);
    const count = field('count');
    const note = field('note', 'baseline-note-help');
    const date = field('date', 'baseline-date-help');
    const partner = field('partner');
    return html`<form novalidate @submit=${this._add} aria-labelledby="baseline-form-heading">
      <h3 id="baseline-form-heading">Add supporters gathered elsewhere</h3>
      <div class="field">
        <label for="baseline-count">Supporters</label>
        <input id="baseline-count" name="count" inputmode="numeric" autocomplete="off" aria-invalid=${count.invalid} aria-describedby=${count.describedBy} />
        ${renderFieldError('baseline-count-error', errors['count'])}
      </div>
      <div class="field">
        <label for="baseline-note">Where from</label>
        <span class="help" id="baseline-note-help">For the organisers, e.g. "The previous platform" or "Paper lists, Plovdiv forum".</span>
        <input id="baseline-note" name="note" maxlength="200" autocomplete="off" aria-invalid=${note.invalid} aria-describedby=${note.describedBy} />
        ${renderFieldError('baseline-note-error', errors['note'])}
      </div>
      <div class="field">
        <label for="baseline-date">Gathered by</label>
        <span class="help" id="baseline-date-help">The day they were counted; today when left empty.</span>
        <input id="baseline-date" name="date" type="date" max=${today} aria-invalid=${date.invalid} aria-describedby=${date.describedBy} />
        ${renderFieldError('baseline-date-error', errors['date'])}
      </div>
      <div class="field">
        <label for="baseline-partner">Partner</label>
        <select id="baseline-partner" name="partner" aria-invalid=${partner.invalid} aria-describedby=${partner.describedBy}>
          <option value="">None: the campaign's count only</option>
          ${this._partners.map((p) => html`<option value=${p.id}>${p.name} (${p.id})</option>`)}
        </select>
        ${renderFieldError('baseline-partner-error', errors['partner'])}
      </div>
      <div class="actions">
        <button type="submit" aria-busy=${this._status.kind === 'busy' ? 'true' : 'false'}>Add to the count</button>
      </div>
    </form>`;
  }
}

if (!customElements.get('cohesion-dashboard-baseline')) customElements.define('cohesion-dashboard-baseline', CohesionDashboardBaseline);

declare global {
  interface HTMLElementTagNameMap {
    'cohesion-dashboard-baseline': CohesionDashboardBaseline;
  }
}
