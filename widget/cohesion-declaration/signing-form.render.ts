/**
 * The signing part of the element, drawn from a SigningForm's state: the form with its fields,
 * errors and summary, or, once signed, the thank-you and share step (from signing-outcome.ts).
 */
import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { msg } from '@lit/localize';
import type { Campaign } from '../api-client.js';
import { getLocale } from '../localization.js';
import { MEMBER_STATES, SIGNER_TYPES, type FieldErrors, type SignerType } from '../../contract/signature-codes.js';
import type { SignatureField } from '../../contract/signature.js';
import { FIELDS_FOR, type FormValues, type SigningForm } from './signing-form.js';

/**
 * What the status region says: "Signing…" while the signature is sent, then that the share link
 * was copied. The thanks is said once, by its heading, which takes focus.
 */
export const renderAnnouncement = (form: SigningForm) => (form.sending ? msg('Signing…') : form.copied ? form.outcome?.copied() : nothing);

export function renderSigning(form: SigningForm, campaign?: Campaign) {
  return form.signed && form.outcome
    ? form.outcome.renderThanks(
        form.signed,
        campaign && { url: location.origin + location.pathname + location.search, hashtag: campaign.hashtag, title: campaign.title },
        form.copied,
        form.onCopied,
      )
    : renderForm(form, campaign);
}

function renderForm(form: SigningForm, campaign?: Campaign) {
  const values = form.values;
  const shown = FIELDS_FOR[values.signerType];
  const errors = form.errors();
  return html`<form part="form" novalidate @submit=${form.onSubmit} @focusin=${form.loadModules} @focusout=${form.onFocusOut}>
    ${
      form.submitted
        ? form.outcome?.renderSummary(
            shown.filter((field) => errors[field]),
            errors,
          )
        : nothing
    }
    ${
      // An invalid answer about fields the form shows is in the summary above; any other gets the alert.
      form.failure && (form.failure.kind !== 'invalid' || !shown.some((field) => form.failure!.fields[field]))
        ? form.outcome?.renderFailure(form.failure)
        : nothing
    }
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
              @change=${form.onInput}
            />
            ${signerTypeLabel(type)}
          </label>`,
        )}
      </div>
    </fieldset>
    ${textField(form, 'name', msg('Full name'), 'name', errors)}
    ${form.sender?.renderSignerFields(form, errors)}
    ${select(form, 'country', msg('Country'), countryOptions(), errors, 'country')}
    ${textField(form, 'email', msg('Email'), 'email', errors, msg('We send you a link to confirm your signature. Your email is never shown to anyone.'), 'email')}
    <div class="field">
      <label class="check">
        <input
          type="checkbox"
          id="consent"
          name="consent"
          required
          .checked=${values.consent}
          aria-invalid=${errors.consent ? 'true' : 'false'}
          aria-describedby=${errors.consent ? 'consent-error' : nothing}
          @change=${form.onInput}
        />
        <!-- The organiser's consent text for this kind of signer, in the version sent, and recorded, with the signature. -->
        <span lang=${ifDefined(campaign?.lang)}>
          ${campaign?.consentTexts[values.signerType] ?? msg('I agree that my data is processed to record my signature.')}
        </span>
      </label>
      ${fieldError(form, 'consent', errors)}
      <a class="help" href=${campaign?.privacyUrl ?? '#'} target="_blank" rel="noopener">${msg('Read the privacy notice')}</a>
    </div>
    <label class="check">
      <input type="checkbox" name="newsletter" .checked=${values.newsletter} @change=${form.onInput} />
      ${msg('Keep me informed about the campaign (optional)')}
    </label>
    <label class="check">
      <input type="checkbox" name="listPublicly" .checked=${values.listPublicly} @change=${form.onInput} />
      ${form.sender?.publicListLabel(values.signerType) ?? msg('Show my name and country in the public list of supporters (optional)')}
    </label>
    <!-- A field only bots fill in: out of sight, out of the tab order, hidden from screen readers. -->
    <div class="visually-hidden" aria-hidden="true">
      <label>Website <input name="website" tabindex="-1" autocomplete="off" .value=${values.website} @input=${form.onInput} /></label>
    </div>
    <button part="submit-button" type="submit" aria-busy=${form.sending ? 'true' : 'false'}>
      ${form.sending ? msg('Signing…') : msg('Sign the declaration')}
    </button>
  </form>`;
}

/** The autocomplete tokens the form uses (DESIGN.md names them for each control). */
type Autocomplete = 'name' | 'organization' | 'organization-title' | 'country' | 'email' | 'off';

export function textField(
  form: SigningForm,
  field: SignatureField,
  label: string,
  autocomplete: Autocomplete,
  errors: FieldErrors,
  help?: string,
  type: 'text' | 'email' = 'text',
) {
  return html`<div class="field">
    <label for=${field}>${label}</label>
    ${help ? html`<span class="help" id="${field}-help">${help}</span>` : nothing}
    <input
      id=${field}
      name=${field}
      type=${type}
      autocomplete=${autocomplete}
      ?required=${field !== 'organisation' || form.values.signerType === 'organisation'}
      .value=${String(form.values[field as keyof FormValues])}
      aria-invalid=${errors[field] ? 'true' : 'false'}
      aria-describedby=${describedBy(field, errors, help)}
      @input=${form.onInput}
    />
    ${fieldError(form, field, errors)}
  </div>`;
}

export function select(
  form: SigningForm,
  field: SignatureField,
  label: string,
  options: [string, string][],
  errors: FieldErrors,
  autocomplete: Autocomplete = 'off',
) {
  const value = String(form.values[field as keyof FormValues]);
  return html`<div class="field">
    <label for=${field}>${label}</label>
    <select
      id=${field}
      name=${field}
      required
      autocomplete=${autocomplete}
      aria-invalid=${errors[field] ? 'true' : 'false'}
      aria-describedby=${describedBy(field, errors)}
      @change=${form.onInput}
    >
      <option value="" ?selected=${!value}>${msg('Choose…')}</option>
      ${options.map(([code, name]) => html`<option value=${code} ?selected=${value === code}>${name}</option>`)}
    </select>
    ${fieldError(form, field, errors)}
  </div>`;
}

function describedBy(field: string, errors: FieldErrors, help?: string) {
  const ids = [help && `${field}-help`, errors[field] && `${field}-error`].filter(Boolean);
  return ids.length ? ids.join(' ') : nothing;
}

function fieldError(form: SigningForm, field: SignatureField, errors: FieldErrors) {
  const code = errors[field];
  return code ? html`<span class="error" id="${field}-error">${form.outcome?.fieldErrorText(field, code)}</span>` : nothing;
}

function signerTypeLabel(type: SignerType) {
  return {
    individual: msg('An individual'),
    organisation: msg('On behalf of an organisation'),
    representative: msg('An elected representative'),
  }[type];
}

/** The 27 member states by their names in the visitor's language, then "other". */
function countryOptions(): [string, string][] {
  const locale = getLocale();
  const names = new Intl.DisplayNames([locale], { type: 'region' });
  const collator = new Intl.Collator(locale);
  const states = MEMBER_STATES.map((code): [string, string] => [code, names.of(code) ?? code]).sort((a, b) => collator.compare(a[1], b[1]));
  return [...states, ['other', msg('Another country')]];
}
