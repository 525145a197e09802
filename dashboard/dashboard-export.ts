/**
 * `<cohesion-dashboard-export>`: downloads the signatures as CSV. A plain link cannot carry the
 * bearer token, so the file is fetched with it and saved from memory: a Blob, an object URL and
 * a link with a `download` attribute, clicked once and let go.
 */
import { LitElement, html } from 'lit';
import type { AdminApi, ExportStatus } from './dashboard-api.js';
import { dashboardStyles } from './dashboard.styles.js';
import { IDLE, describeFailure, renderStatus, type Status } from './dashboard-ui.js';

/** Saves `blob` as a file named `fileName`, as a download the browser handles. */
export function saveFile(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // Long enough for the browser to start the download from it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export class CohesionDashboardExport extends LitElement {
  static override properties = { api: { attribute: false }, campaign: {}, _status: { state: true } };
  static override styles = dashboardStyles;

  api?: AdminApi;
  campaign = '';
  private _status: Status = IDLE;

  private async _download(event: SubmitEvent) {
    event.preventDefault();
    if (!this.api || this._status.kind === 'busy') return;
    const which = new FormData(event.target as HTMLFormElement).get('status') as ExportStatus;
    this._status = { kind: 'busy', text: 'Preparing the file…' };
    try {
      const { blob, fileName } = await this.api.exportCsv(this.campaign, which);
      saveFile(blob, fileName);
      this._status = { kind: 'done', text: `Saved ${fileName}.` };
    } catch (error) {
      this._status = { kind: 'failed', text: describeFailure(error) };
    }
  }

  override render() {
    const busy = this._status.kind === 'busy';
    return html`<div class="root"><section aria-labelledby="export-heading">
      <h2 id="export-heading">Export</h2>
      <p>A CSV file (UTF-8, opens in Excel and LibreOffice) with every detail of each signature, for the campaign's records.</p>
      <form @submit=${this._download}>
        <div class="field">
          <label for="export-status">Signatures</label>
          <select id="export-status" name="status">
            <option value="all">All</option>
            <option value="confirmed">Confirmed only</option>
            <option value="pending">Waiting for email confirmation only</option>
          </select>
        </div>
        <button type="submit" aria-busy=${busy ? 'true' : 'false'}>Download CSV</button>
      </form>
      ${renderStatus(this._status)}
    </section></div>`;
  }
}

if (!customElements.get('cohesion-dashboard-export')) customElements.define('cohesion-dashboard-export', CohesionDashboardExport);

declare global {
  interface HTMLElementTagNameMap {
    'cohesion-dashboard-export': CohesionDashboardExport;
  }
}
