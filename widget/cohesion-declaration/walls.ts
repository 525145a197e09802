/**
 * The walls: `variant="supporters"`, those who signed and chose to be listed, and
 * `variant="partners"`, the partners the organisers listed. A chunk of its own, with its own
 * styles, loaded only by pages that show a wall.
 */
import { css, html, nothing, type ReactiveController, type ReactiveElement } from 'lit';
import { msg } from '@lit/localize';
import type { ApiClient } from '../api-client.js';
import { signedHere } from './signed-here.js';
import type { PartnersAnswer, Supporter, SupportersPage } from '../../contract/api.js';
import { adoptStyles } from '../adopt-styles.js';
import { getLocale } from '../localization.js';

const styles = css`
  .wall ul {
    list-style: none;
    margin: 0 0 var(--_space);
    padding: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 14em), 1fr));
    gap: calc(var(--_space) / 2);
  }
  .wall li {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: calc(var(--_space) / 2);
    overflow-wrap: anywhere;
  }
  .wall li .mark {
    display: inline-block;
    margin-inline-start: 0.5em;
    padding: 0 0.4em;
    border: 1px solid currentColor;
    border-radius: var(--_radius);
    font-size: 0.8em;
  }
  .wall img {
    display: block;
    max-inline-size: 100%;
    block-size: 3em;
    object-fit: contain;
    margin-block-end: calc(var(--_space) / 4);
  }
  .wall li span {
    display: block;
    color: var(--_muted);
    font-size: 0.9em;
  }
`;

/** Who signed for more than themselves is marked so on the wall: an organisation, an office. */
const MARKS: Record<string, () => string> = {
  organisation: () => msg('Organisation'),
  representative: () => msg('Elected representative'),
};

/** A wall the element shows under its counter. */
export interface Wall extends ReactiveController {
  render(): unknown;
}

/** The wall of the element's variant. */
export const wallFor = (host: ReactiveElement & { variant: string }, client: ApiClient): Wall =>
  host.variant === 'partners' ? new PartnersWall(host, client) : new SupportersWall(host, client);

/**
 * Supporters by name, role, organisation and country (the API never sends an email). Pages come
 * newest first; "Show more" fetches the next one by its cursor and moves focus to the first
 * supporter it added, so keyboard and screen-reader users carry on where the list grew.
 */
class SupportersWall implements Wall {
  private supporters: Supporter[] = [];
  /** The next page's cursor; undefined before the first page, null after the last. */
  private next: string | null | undefined;
  private loading = false;
  private failed = false;
  /** Where the last "Show more" began, to move focus there. */
  private firstNew = -1;

  constructor(
    private readonly host: ReactiveElement,
    private readonly client: ApiClient,
  ) {
    adoptStyles(host.renderRoot as ShadowRoot, styles);
    host.addController(this);
    void this.load();
  }

  hostUpdated() {
    if (this.firstNew < 0) return;
    this.host.renderRoot.querySelectorAll<HTMLElement>('.wall li')[this.firstNew]?.focus();
    this.firstNew = -1;
  }

  private async load() {
    if (this.loading) return;
    const more = this.next !== undefined;
    this.loading = true;
    this.failed = false;
    this.host.requestUpdate();
    try {
      // `signer-type` (read here, with the wall): one kind of signer only, such as organisation.
      const signerType = this.host.getAttribute('signer-type') ?? undefined;
      const url = this.client.url('/supporters', { cursor: this.next ?? undefined, signerType });
      // After signing in this tab, past the minute caches may keep the wall: the signer sees their own entry.
      const response = await fetch(url, { credentials: 'omit', cache: signedHere() ? 'no-cache' : 'default' });
      if (!response.ok) throw new Error(String(response.status));
      const page = (await response.json()) as SupportersPage;
      if (more) this.firstNew = this.supporters.length;
      this.supporters = [...this.supporters, ...page.supporters];
      this.next = page.next;
    } catch {
      this.failed = true;
    }
    this.loading = false;
    this.host.requestUpdate();
  }

  render() {
    const countries = new Intl.DisplayNames([getLocale()], { type: 'region' });
    const loaded = this.next !== undefined;
    return html`<section part="supporters" class="wall" aria-labelledby="supporters">
      <h2 id="supporters">${msg('Who has signed')}</h2>
      ${loaded && !this.supporters.length ? html`<p>${msg('No supporters are listed yet.')}</p>` : nothing}
      ${
        this.supporters.length
          ? html`<ul>
            ${this.supporters.map(
              ({ name, signerType, role, organisation, country }) =>
                html`<li part="supporter" tabindex="-1">
                  ${name}
                  ${signerType in MARKS ? html`<span part="signer-type" class="mark">${MARKS[signerType]!()}</span>` : nothing}
                  <span>${[role, organisation, country === 'other' ? undefined : countries.of(country)].filter(Boolean).join(', ')}</span>
                </li>`,
            )}
          </ul>`
          : nothing
      }
      ${
        this.failed
          ? html`<p class="problem" role="alert">${msg('The list of supporters could not be loaded.')}</p>
            <button type="button" @click=${() => this.load()}>${msg('Try again')}</button>`
          : this.next
            ? html`<button part="more-button" type="button" aria-disabled=${this.loading} @click=${() => this.load()}>
              ${msg('Show more')}
            </button>`
            : nothing
      }
      ${!loaded && !this.failed ? html`<p>${msg('Loading…')}</p>` : nothing}
    </section>`;
  }
}

/** The partners the organisers listed, in their order: a name, a logo where given, a link to the website where given. */
class PartnersWall implements Wall {
  private partners?: PartnersAnswer['partners'];
  private failed = false;

  constructor(
    private readonly host: ReactiveElement,
    private readonly client: ApiClient,
  ) {
    adoptStyles(host.renderRoot as ShadowRoot, styles);
    void this.load();
  }

  private async load() {
    this.failed = false;
    this.host.requestUpdate();
    try {
      const response = await fetch(this.client.url('/partners'), { credentials: 'omit' });
      if (!response.ok) throw new Error(String(response.status));
      this.partners = ((await response.json()) as PartnersAnswer).partners;
    } catch {
      this.failed = true;
    }
    this.host.requestUpdate();
  }

  render() {
    const partners = this.partners;
    return html`<section part="partners" class="wall" aria-labelledby="partners">
      <h2 id="partners">${msg('Partners')}</h2>
      ${partners && !partners.length ? html`<p>${msg('No partners are listed yet.')}</p>` : nothing}
      ${
        partners?.length
          ? html`<ul>
            ${partners.map(({ name, url, logo }) => {
              // The name is the image's text: the logo itself says nothing more.
              const content = html`${logo ? html`<img src=${logo} alt="" loading="lazy" />` : nothing}${name}`;
              return html`<li part="partner">${url ? html`<a href=${url} rel="noopener">${content}</a>` : content}</li>`;
            })}
          </ul>`
          : nothing
      }
      ${
        this.failed
          ? html`<p class="problem" role="alert">${msg('The list of partners could not be loaded.')}</p>
            <button type="button" @click=${() => this.load()}>${msg('Try again')}</button>`
          : nothing
      }
      ${!partners && !this.failed ? html`<p>${msg('Loading…')}</p>` : nothing}
    </section>`;
  }
}
