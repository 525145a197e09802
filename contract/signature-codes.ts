/**
 * The codes a signature is made of, without the schema: what the widget needs to draw the form
 * before the schema (and zod with it) has loaded.
 */
export const SIGNER_TYPES = ['individual', 'organisation', 'representative'] as const;
export type SignerType = (typeof SIGNER_TYPES)[number];

export const ORGANISATION_KINDS = [
  'national-authority',
  'regional-authority',
  'local-authority',
  'business',
  'ngo',
  'school',
  'university',
  'cultural',
  'other',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** The 27 member states by ISO 3166-1 alpha-2 code (Greece is `GR`), in the EU's protocol order. */
export const MEMBER_STATES = [
  'BE',
  'BG',
  'CZ',
  'DK',
  'DE',
  'EE',
  'IE',
  'GR',
  'ES',
  'FR',
  'HR',
  'IT',
  'CY',
  'LV',
  'LT',
  'LU',
  'HU',
  'MT',
  'NL',
  'AT',
  'PL',
  'PT',
  'RO',
  'SI',
  'SK',
  'FI',
  'SE',
] as const;
export const COUNTRIES = [...MEMBER_STATES, 'other'] as const;
export type Country = (typeof COUNTRIES)[number];

export const LIMITS = {
  name: 120,
  organisation: 200,
  role: 120,
  email: 254,
  emailLocalPart: 63,
  partner: 64,
  lang: 35,
  page: 500,
  /** An ALTCHA payload is about 820 characters (see widget/bot-check.ts). */
  altcha: 2048,
  website: 200,
  consentVersion: 64,
} as const;

/** Why a field was refused. The widget has a message for each. */
export type FieldErrorCode =
  | 'required'
  | 'too_long'
  | 'invalid'
  | 'invalid_email'
  | 'consent_required'
  /** `consent` only: the text agreed to is no longer the campaign's (it changed since the page loaded). */
  | 'consent_changed'
  /** `consent` only, the widget's own: the campaign's text did not load, so there is nothing to agree to. */
  | 'consent_unavailable'
  | 'unknown_field'
  /** `altcha` only: signed sooner after the challenge was issued than a person can fill the form. */
  | 'too_fast';

export type FieldErrors = Partial<Record<string, FieldErrorCode>>;
