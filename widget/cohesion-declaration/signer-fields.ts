/**
 * The fields of the signer types other than an individual: a representative's role, an
 * organisation's name and kind; and what the public list would show of them. They show only once
 * the visitor has chosen such a type, so they come with the form's other chunks
 * (signature-sender.ts passes them on), not in the first paint.
 */
import { html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { ORGANISATION_KINDS, type FieldErrors, type OrganisationKind, type SignerType } from '../../contract/signature-codes.js';
import { FIELDS_FOR, type SigningForm } from './signing-form.js';
import { select, textField } from './signing-form.render.js';

/**
 * What the public-list choice shows of a signer for more than themselves, as the wall shows it;
 * an individual's (name and country) is the form's own, from the first paint.
 */
export function publicListLabel(type: SignerType) {
  if (type === 'organisation') return msg('Show my name, organisation and country in the public list of supporters (optional)');
  if (type === 'representative') return msg('Show my name, role, organisation and country in the public list of supporters (optional)');
  return undefined;
}

export function renderSignerFields(form: SigningForm, errors: FieldErrors) {
  const type = form.values.signerType;
  const shown = FIELDS_FOR[type];
  return html`${shown.includes('role') ? textField(form, 'role', msg('Role or office'), 'organization-title', errors, msg('For example: Mayor of Plovdiv')) : nothing}
    ${
      shown.includes('organisation')
        ? textField(
            form,
            'organisation',
            type === 'organisation' ? msg('Organisation') : msg('Organisation (optional)'),
            'organization',
            errors,
          )
        : nothing
    }
    ${
      shown.includes('organisationKind')
        ? select(
            form,
            'organisationKind',
            msg('Kind of organisation'),
            ORGANISATION_KINDS.map((kind) => [kind, organisationKindLabel(kind)]),
            errors,
          )
        : nothing
    }`;
}

function organisationKindLabel(kind: OrganisationKind) {
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
