/**
 * `<cohesion-dashboard-partners>`: the partner registry. Lists partners (those from the
 * PARTNER_ORIGINS setting read-only: they change where the server is configured), adds and edits
 * them (id, name, origins one per line) and deletes them after an in-page confirmation. The
 * server validates; its field codes are shown next to the field they are about.
 */
import { LitElement, html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { AdminApi, Partner } from './dashboard-api.js';
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

interface Draft {
  /** Set while editing an existing partner, whose id then cannot change. */
  editing: boolean;
  id: string;
  name: string;
  origins: string;
  listed: boolean;
  url: string;
  logo: string;
  position: string;
}

const EMPTY: Draft = { editing: false, id: '', name: '', origins: '', listed: false, url: '', logo: '', position: '0' };
const FIELDS = ['id', 'name', 'origins', 'url', 'logo', 'position'] as const;
const originLines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

export class CohesionDashboardPartners extends LitElement {
  static override properties = {
    api: { attribute: false },
    _partners: { state: true },
    _draft: { state: true },
    _errors: { state: true },
    _deleting: { state: true },
    _status: { state: true },
  };
  static override styles = dashboardStyles;

  api?: AdminApi;
  private _partners?: Partner[];
  private _draft: Draft = EMPTY;
  private _errors: Record<string, string> = {};
  /** The partner waiting for the delete confirmation. */
  private _deleting?: Partner;
  private _status: Status = IDLE;
  private _listFailure = '';

  override connectedCallback() {
    super.connectedCallback();
    void this.reload();
  }

  /** Fetches the list again; a failure shows in place of the list. */
  async reload() {
    if (!this.api) return;
    try {
      this._partners = await this.api.partners();
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

  private _input(field: keyof Omit<Draft, 'editing'>) {
    return (event: Event) => {
      const input = event.target as HTMLInputElement;
      this._draft = { ...this._draft, [field]: input.type === 'checkbox' ? input.checked : input.value };
    };
  }

  private _edit(partner: Partner) {
    const { id, name, origins, listed, url, logo, position } = partner;
    this._draft = {
      editing: true,
      id,
      name,
      origins: origins.join('\n'),
      listed,
      url: url ?? '',
      logo: logo ?? '',
      position: String(position),
    };
    this._errors = {};
    this._status = IDLE;
    void this._focus('#partner-name');
  }

  private _clear() {
    this._draft = EMPTY;
    this._errors = {};
    void this._focus('#partner-id');
  }

  private async _save(event: SubmitEvent) {
    event.preventDefault();
    if (!this.api || this._status.kind === 'busy') return;
    const id = this._draft.id.trim();
    if (!id) {
      this._errors = { id: 'Required.' };
      void this._focus('#partner-id');
      return;
    }
    this._status = { kind: 'busy', text: 'Saving…' };
    try {
      const { name, origins, listed, url, logo, position } = this._draft;
      const saved = await this.api.savePartner(id, {
        name: name.trim(),
        origins: originLines(origins),
        listed,
        ...(url.trim() ? { url: url.trim() } : {}),
        ...(logo.trim() ? { logo: logo.trim() } : {}),
        position: Number.parseInt(position, 10) || 0,
      });
      this._draft = EMPTY;
      this._errors = {};
      // The list first, so the status line speaks of what is shown.
      await this.reload();
      this._status = { kind: 'done', text: `Saved partner ${saved.name} (${saved.id}).` };
      announceChange(this);
      void this._focus(`[data-edit="${CSS.escape(saved.id)}"]`);
    } catch (error) {
      const { errors, first, status } = formFailure(error, FIELDS);
      [this._errors, this._status] = [errors, status];
      if (first) void this._focus(`#partner-${first}`);
    }
  }

  private _askDelete(partner: Partner) {
    this._deleting = partner;
    this._status = IDLE;
    void this._focus('#delete-question');
  }

  private _cancelDelete() {
    const id = this._deleting?.id;
    this._deleting = undefined;
    if (id) void this._focus(`[data-delete="${CSS.escape(id)}"]`);
  }

  private async _delete() {
    const partner = this._deleting;
    if (!this.api || !partner || this._status.kind === 'busy') return;
    this._status = { kind: 'busy', text: 'Deleting…' };
    this._status = await removalOutcome(
      this.api.deletePartner(partner.id),
      `Deleted partner ${partner.name} (${partner.id}).`,
      `Partner ${partner.id} was already gone.`,
    );
    this._deleting = undefined;
    if (this._draft.id === partner.id) this._draft = EMPTY;
    await this.reload();
    announceChange(this);
    void this._focus('#partners-heading');
  }

  override render() {
    return html`<div class="root"><section aria-labelledby="partners-heading">
      <h2 id="partners-heading" tabindex="-1">Partners</h2>
      <p>
        Sites that carry the declaration. A signature made in a browser counts for a partner only when made on one of the
        partner's origins; while the server's PARTNER_ORIGINS setting is set, browsers may sign only on partners' origins.
      </p>
      ${this._renderList()} ${this._renderForm()} ${renderStatus(this._status)}
    </section></div>`;
  }

  private _renderList() {
    if (this._listFailure) return html`<p class="error">${this._listFailure}</p>`;
    if (!this._partners) return html`<p>Loading the partners…</p>`;
    if (!this._partners.length) return html`<p>No partners yet.</p>`;
    return html`<ul class="plain cards" aria-label="Partners">
        ${this._partners.map(
          (partner) => html`<li data-partner=${partner.id}>
            <span><span class="name">${partner.name}</span><span class="code note"> ${partner.id}</span></span>
            <span class="code">${partner.listed ? `On the public list (place ${partner.position})` : 'Not on the public list'}</span>
            ${
              partner.origins.length
                ? html`<ul class="plain" aria-label="Origins of ${partner.name}">
                  ${partner.origins.map((o) => html`<li>${o}</li>`)}
                </ul>`
                : html`<span class="code">No origins</span>`
            }
            ${
              partner.fromSettings
                ? html`<span class="code">From the PARTNER_ORIGINS setting: change it there.</span>`
                : html`<div class="actions">
                  <button type="button" class="secondary small" data-edit=${partner.id} @click=${() => this._edit(partner)}>
                    Edit<span class="visually-hidden"> ${partner.name}</span>
                  </button>
                  <button type="button" class="secondary small" data-delete=${partner.id} @click=${() => this._askDelete(partner)}>
                    Delete<span class="visually-hidden"> ${partner.name}</span>
                  </button>
                </div>`
            }
          </li>`,
        )}
      </ul>
      ${
        this._deleting
          ? renderConfirm({
              id: 'delete-question',
              question: `Delete the partner ${this._deleting.name} (${this._deleting.id})? Signatures made through it keep its id.`,
              confirm: 'Yes, delete',
              busy: this._status.kind === 'busy',
              onConfirm: () => this._delete(),
              onCancel: () => this._cancelDelete(),
            })
          : nothing
      }`;
  }

  /** One of the public list's fields: a label, its help, the input, and the server's objection. */
  private _textField(name: 'url' | 'logo' | 'position', label: string, help: string, type: 'url' | 'number') {
    const error = this._errors[name];
    return html`<div class="field">
      <label for="partner-${name}">${label}</label>
      <span class="help" id="partner-${name}-help">${help}</span>
      <input
        id="partner-${name}"
        name=${name}
        type=${type}
        min=${ifDefined(type === 'number' ? '0' : undefined)}
        autocomplete="off"
        spellcheck="false"
        .value=${this._draft[name]}
        @input=${this._input(name)}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${describedBy(`partner-${name}-help`, `partner-${name}-error`, error)}
      />
      ${renderFieldError(`partner-${name}-error`, error)}
    </div>`;
  }

  private _renderForm() {
    const draft = this._draft;
    const errors = this._errors;
    const field = (name: 'id' | 'name' | 'origins', help?: string) => ({
      invalid: errors[name] ? ('true' as const) : ('false' as const),
      describedBy: describedBy(help, `partner-${name}-error`, errors[name]),
    });
    const id = field('id', 'partner-id-help');
    const name = field('name');
    const origins = field('origins', 'partner-origins-help');
    return html`<form novalidate @submit=${this._save} aria-labelledby="partner-form-heading">
      <h3 id="partner-form-heading">${draft.editing ? `Edit ${draft.id}` : 'Add a partner'}</h3>
      <div class="field">
        <label for="partner-id">Id</label>
        <span class="help" id="partner-id-help">As in the partner's embed code (<code>partner="…"</code>): letters, digits, - and _.</span>
        <input
          id="partner-id"
          name="id"
          autocomplete="off"
          spellcheck="false"
          ?readonly=${draft.editing}
          .value=${draft.id}
          @input=${this._input('id')}
          aria-invalid=${id.invalid}
          aria-describedby=${id.describedBy}
        />
        ${renderFieldError('partner-id-error', errors['id'])}
      </div>
      <div class="field">
        <label for="partner-name">Name</label>
        <input
          id="partner-name"
          name="name"
          autocomplete="off"
          .value=${draft.name}
          @input=${this._input('name')}
          aria-invalid=${name.invalid}
          aria-describedby=${name.describedBy}
        />
        ${renderFieldError('partner-name-error', errors['name'])}
      </div>
      <div class="field">
        <label for="partner-origins">Origins</label>
        <span class="help" id="partner-origins-help">One per line, e.g. https://plovdiv.bg: scheme and host, no path.</span>
        <textarea
          id="partner-origins"
          name="origins"
          rows="3"
          spellcheck="false"
          .value=${draft.origins}
          @input=${this._input('origins')}
          aria-invalid=${origins.invalid}
          aria-describedby=${origins.describedBy}
        ></textarea>
        ${renderFieldError('partner-origins-error', errors['origins'])}
      </div>
      <label class="check"><input id="partner-listed" type="checkbox" name="listed" .checked=${draft.listed} @change=${this._input('listed')} /> Show on the public list of partners</label>
      ${this._textField('url', 'Website', 'Linked from the public list, e.g. https://www.plovdiv.bg/.', 'url')}
      ${this._textField('logo', 'Logo', 'An HTTPS address of an image (SVG or PNG), shown with the name on the public list.', 'url')}
      ${this._textField('position', 'Place on the list', 'Lower first; partners with the same place by name.', 'number')}
      <div class="actions">
        <button type="submit" aria-busy=${this._status.kind === 'busy' ? 'true' : 'false'}>${draft.editing ? 'Save changes' : 'Add partner'}</button>
        ${
          draft.editing || draft.id || draft.name || draft.origins
            ? html`<button type="button" class="secondary" @click=${this._clear}>${draft.editing ? 'Cancel editing' : 'Clear'}</button>`
            : nothing
        }
      </div>
    </form>`;
  }
}

if (!customElements.get('cohesion-dashboard-partners')) customElements.define('cohesion-dashboard-partners', CohesionDashboardPartners);

declare global {
  interface HTMLElementTagNameMap {
    'cohesion-dashboard-partners': CohesionDashboardPartners;
  }
}
