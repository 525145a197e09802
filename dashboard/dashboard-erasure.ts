/**
 * `<cohesion-dashboard-erasure>`: erases a person's signatures when they ask (GDPR art. 17).
 * Nothing is erased without a second, in-page step that names the address; afterwards the
 * status line says how many signatures went, and a `cohesion-dashboard-changed` event tells the
 * dashboard to reload its numbers.
 */
import { LitElement, html } from 'lit';
import { AdminApiError, type AdminApi } from './dashboard-api.js';
import { dashboardStyles } from './dashboard.styles.js';
import {
  IDLE,
  announceChange,
  describeFailure,
  describedBy,
  fieldErrors,
  renderConfirm,
  renderFieldError,
  renderStatus,
  type Status,
} from './dashboard-ui.js';

export class CohesionDashboardErasure extends LitElement {
  static override properties = {
    api: { attribute: false },
    campaign: {},
    _confirming: { state: true },
    _error: { state: true },
    _status: { state: true },
  };
  static override styles = dashboardStyles;

  api?: AdminApi;
  campaign = '';
  /** The request waiting for the second step. */
  private _confirming?: { email: string; onlyCampaign: boolean };
  private _error?: string;
  private _status: Status = IDLE;

  private _field<T extends HTMLElement>(selector: string) {
    return this.renderRoot.querySelector<T>(selector)!;
  }

  private async _focus(selector: string) {
    await this.updateComplete;
    this._field(selector)?.focus();
  }

  private _ask(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const email = (form.elements.namedItem('email') as HTMLInputElement).value.trim();
    const input = form.elements.namedItem('email') as HTMLInputElement;
    this._status = IDLE;
    if (!email || !input.validity.valid) {
      this._error = email ? 'Not an email address, e.g. name@example.org.' : 'Enter the email address of the person who asked.';
      void this._focus('#erase-email');
      return;
    }
    this._error = undefined;
    this._confirming = { email, onlyCampaign: (form.elements.namedItem('onlyCampaign') as HTMLInputElement).checked };
    void this._focus('#erase-question');
  }

  private _cancel() {
    this._confirming = undefined;
    void this._focus('#erase-button');
  }

  private async _erase() {
    const request = this._confirming;
    if (!this.api || !request || this._status.kind === 'busy') return;
    this._status = { kind: 'busy', text: 'Erasing…' };
    try {
      const erased = await this.api.erase(request.email, request.onlyCampaign ? this.campaign : undefined);
      this._status = {
        kind: 'done',
        text:
          erased === 0
            ? `No signature was made with ${request.email}: nothing to erase.`
            : `Erased ${erased} ${erased === 1 ? 'signature' : 'signatures'} made with ${request.email}.`,
      };
      this._field<HTMLInputElement>('#erase-email').value = '';
      if (erased) announceChange(this);
    } catch (error) {
      const fields = error instanceof AdminApiError ? fieldErrors(error.fields) : {};
      this._error = fields['email'];
      this._status = this._error ? IDLE : { kind: 'failed', text: describeFailure(error) };
    }
    this._confirming = undefined;
    void this._focus('#erase-email');
  }

  override render() {
    const request = this._confirming;
    return html`<div class="root"><section aria-labelledby="erasure-heading">
      <h2 id="erasure-heading">Erase a person's signatures</h2>
      <p>When someone asks to be forgotten: removes every signature made with their email address, with its details and pending mails. The counts go down.</p>
      <form novalidate @submit=${this._ask}>
        <div class="field">
          <label for="erase-email">Email address</label>
          <input
            id="erase-email"
            name="email"
            type="email"
            autocomplete="off"
            spellcheck="false"
            ?readonly=${!!request}
            aria-invalid=${this._error ? 'true' : 'false'}
            aria-describedby=${describedBy(undefined, 'erase-email-error', this._error)}
          />
          ${renderFieldError('erase-email-error', this._error)}
        </div>
        <label class="check"><input type="checkbox" name="onlyCampaign" ?disabled=${!!request} /> Only in this campaign (${this.campaign})</label>
        ${
          request
            ? renderConfirm({
                id: 'erase-question',
                question: `Erase every signature made with ${request.email}${request.onlyCampaign ? ` in ${this.campaign}` : ''}? This cannot be undone.`,
                confirm: 'Yes, erase',
                busy: this._status.kind === 'busy',
                onConfirm: () => this._erase(),
                onCancel: () => this._cancel(),
              })
            : html`<button id="erase-button" type="submit" class="danger">Erase…</button>`
        }
      </form>
      ${renderStatus(this._status)}
    </section></div>`;
  }
}

if (!customElements.get('cohesion-dashboard-erasure')) customElements.define('cohesion-dashboard-erasure', CohesionDashboardErasure);

declare global {
  interface HTMLElementTagNameMap {
    'cohesion-dashboard-erasure': CohesionDashboardErasure;
  }
}
