/**
 * What follows a submit: the thank-you state with its share step, or what went wrong. A chunk of
 * its own, loaded with the schema once the visitor starts on the form: someone who only reads
 * never downloads it.
 *
 * The share step: plain links to the common networks (no third-party script is loaded), the
 * device's own share sheet where it has one, and copying the link.
 */
import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import type { SignError, SignStatus } from '../api-client.js';
import { LIMITS, type FieldErrorCode, type FieldErrors } from '../../contract/signature-codes.js';
import type { SignatureField } from '../../contract/signature.js';
import { shareByEmail, shareLinks } from '../../contract/share.js';

export interface ShareContent {
  /** The page the visitor signed on: the partner's page, so the partner keeps the credit. */
  url: string;
  hashtag: string;
  title: string;
}

/**
 * The styles of what shows only once the visitor is in the form (see adopt-styles.ts): field
 * errors and their summary, the busy button, the thank-you and share step.
 */
export const styles = css`
  .field [aria-invalid='true'] {
    border-color: var(--_error);
    border-width: 2px;
  }
  .error {
    color: var(--_error);
    font-weight: 600;
    font-size: 0.9em;
  }
  .summary {
    border: 2px solid var(--_error);
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 0.75);
  }
  .summary ul {
    margin: 0;
    padding-inline-start: 1.2em;
  }
  button[aria-busy='true'] {
    cursor: progress;
    opacity: 0.8;
  }
  .share ul {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    list-style: none;
    padding: 0;
    margin: 0;
  }
  .share a,
  .share button {
    display: inline-block;
    min-block-size: 2.75em;
    padding: 0.5em 0.9em;
    border: 2px solid var(--_accent);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_accent);
    font-weight: 600;
    text-decoration: none;
  }
  .thanks {
    border-inline-start: 4px solid var(--_success);
    padding-inline-start: var(--_space);
  }
`;

export function renderThanks(status: SignStatus, share: ShareContent | undefined, copied: boolean, onCopied: () => void) {
  return html`<div part="thanks" class="thanks">
    <h3 tabindex="-1">${msg('Thank you for signing!')}</h3>
    <p>
      ${
        status === 'pending'
          ? msg('Please check your email: your signature counts once you confirm it with the link we sent you.')
          : msg('Your signature has been counted.')
      }
    </p>
    ${share ? renderShare(share, copied, onCopied) : nothing}
  </div>`;
}

/** What the status region says once the share link is copied (see renderAnnouncement). */
export const copied = () => msg('Link copied');

/**
 * What a field's error says. Errors show only once the visitor has been at the form, by when this
 * chunk is loaded (it loads on the form's first focus, and before a submit is checked).
 */
export function fieldErrorText(field: SignatureField, code: FieldErrorCode) {
  switch (code) {
    case 'required':
      return (
        {
          signerType: msg('Choose how you are signing.'),
          name: msg('Enter your name.'),
          organisation: msg('Enter the name of your organisation.'),
          organisationKind: msg('Choose the kind of organisation.'),
          role: msg('Enter your role or office.'),
          country: msg('Choose your country.'),
          email: msg('Enter your email address.'),
        }[field as string] ?? msg('This field is required.')
      );
    case 'consent_required':
      return msg('Tick the box to agree, or your signature cannot be recorded.');
    case 'consent_changed':
      return msg('The text you agree to has changed since this page was opened. Please read it again and tick the box.');
    case 'consent_unavailable':
      return msg('The text you would agree to could not be loaded, so your signature cannot be recorded. Please try again later.');
    case 'invalid_email':
      return msg('Enter an email address like name@example.org.');
    case 'too_long': {
      // The field and its limit, the field named as its label is ("Full name: at most 120 characters.").
      const label = { name: msg('Full name'), organisation: msg('Organisation'), role: msg('Role or office'), email: msg('Email') }[
        field as string
      ];
      const limit = LIMITS[field as keyof typeof LIMITS];
      return label ? msg(str`${label}: at most ${limit} characters.`) : msg('This is too long.');
    }
    default:
      return msg('Check this field.');
  }
}

/**
 * After a failed submit: every problem, each a link to its field. Like the words of each error,
 * it shows once this chunk is here, which a submit waits for before it checks the form.
 */
export function renderSummary(problems: SignatureField[], errors: FieldErrors) {
  return problems.length
    ? html`<div part="error-summary" class="summary" tabindex="-1">
        <h3>${msg('Please correct the following:')}</h3>
        <ul>
          ${problems.map((field) => html`<li><a href="#${field}" @click=${toField}>${fieldErrorText(field, errors[field]!)}</a></li>`)}
        </ul>
      </div>`
    : nothing;
}

/** A link in the error summary takes the visitor to its field. */
function toField(event: Event) {
  event.preventDefault();
  const link = event.currentTarget as HTMLAnchorElement;
  (link.getRootNode() as ShadowRoot).querySelector<HTMLElement>(`#${link.hash.slice(1)}`)?.focus();
}

/** A failure that is not about a field: the network, too many attempts, a server that cannot store it now, or the server. */
export function renderFailure(failure: SignError) {
  let text: string;
  if (failure.kind === 'network') {
    text = msg('Your signature could not be sent. Please check your connection and try again; what you typed is kept.');
  } else if (failure.kind === 'rate-limited') {
    const minutes = Math.max(1, Math.ceil((failure.retryAfter ?? 60) / 60));
    text = msg(str`Too many signatures were sent from here just now. Please try again in ${minutes} min.`);
  } else if (failure.kind === 'unavailable') {
    text = msg('Your signature could not be recorded just now. Please try again in a minute; what you typed is kept.');
  } else {
    text = msg('Something went wrong on our side. Your signature was not recorded; please try again later.');
  }
  return html`<div class="problem" role="alert">
    <p>${text}</p>
    ${failure.kind === 'network' ? html`<button type="submit">${msg('Try again')}</button>` : nothing}
  </div>`;
}

function renderShare(content: ShareContent, copied: boolean, onCopied: () => void) {
  const text = msg(str`I have signed the ${content.hashtag} Declaration of Principles. Add your name too:`);
  const canShare = typeof navigator.share === 'function';
  const nativeShare = () => navigator.share({ title: content.title, text, url: content.url }).catch(() => undefined);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      onCopied();
    } catch {
      // No clipboard (permissions, insecure page): the links stay.
    }
  };
  return html`<div part="share" class="share">
    <h4>${msg('Ask others to sign')}</h4>
    <ul>
      ${canShare ? html`<li><button type="button" @click=${nativeShare}>${msg('Share…')}</button></li>` : nothing}
      ${shareLinks(text, content.url).map(
        ([name, href]) => html`<li><a href=${href} target="_blank" rel="noopener noreferrer">${name}</a></li>`,
      )}
      <li>
        <a href=${shareByEmail(content.title, text, content.url)}>${msg('Email')}</a>
      </li>
      <li>
        <button type="button" @click=${copy}>${copied ? msg('Link copied') : msg('Copy link')}</button>
      </li>
    </ul>
  </div>`;
}
