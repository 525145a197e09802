/**
 * The one description of a signature. The server validates requests with it and the widget
 * checks its fields with it, so the two cannot drift apart. Built on `zod/mini`, the smallest zod;
 * the widget still loads it as a chunk of its own, once the visitor starts on the form.
 *
 * Errors travel as codes (`required`, `too_long`, ...), never as prose: the widget words them
 * in the visitor's language.
 */
import * as z from 'zod/mini';
import { COUNTRIES, LIMITS, ORGANISATION_KINDS, SIGNER_TYPES, type FieldErrorCode, type FieldErrors } from './signature-codes.js';

export * from './signature-codes.js';

// Control characters (C0, DEL, C1), the Unicode line/paragraph separators and lone surrogates
// have no place in a name; they are how log and CSV injection start.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\uD800-\uDFFF]*$/u;

// Text that hides itself. Bidirectional embeddings, overrides and isolates reorder what follows
// them; a text of nothing visible shows as a blank; marks heaped on one letter smear over the
// lines around it. A name like that could pass for anyone's on the public wall and in the lists.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;
/** What draws nothing: format characters (zero-width spaces and joiners...), marks, spaces, and the Hangul fillers and the blank Braille pattern, which are letters and symbols that draw nothing. */
const INVISIBLE = /[\p{Cf}\p{M}\p{Z}\s\u115F\u1160\u3164\uFFA0\u2800]/gu;
/** Written text puts at most three marks on a letter (after NFC, rarely more than one), and none before the first. */
const HEAPED_MARKS = /^\p{M}|\p{M}{4}/u;

/**
 * Whether a text people will read (a signer's name, organisation and role; a partner's name)
 * hides itself: control characters, bidirectional controls, nothing visible, or heaped marks.
 */
export const hidesItself = (value: string) =>
  !NO_CONTROL_CHARS.test(value) || BIDI_CONTROLS.test(value) || HEAPED_MARKS.test(value) || !value.replace(INVISIBLE, '');

/**
 * Email syntax as OWASP's input validation cheat sheet advises: a local part of at most 63
 * characters without quotes, backticks, spaces or other dangerous characters; a domain of
 * letters, digits, hyphens and dots; at most 254 characters in all. Sub-addresses (`+tag`) are
 * kept as typed: they are the signer's own address.
 */
const EMAIL =
  /^[A-Za-z0-9!#$%&*+\-/=?^_{|}~]+(?:\.[A-Za-z0-9!#$%&*+\-/=?^_{|}~]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$/;

const PARTNER_ID = /^[a-z0-9][a-z0-9._-]*$/i;
const LANGUAGE_TAG = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** A web page's address without query or fragment, which may carry personal data. */
const PAGE_URL = /^https?:\/\/[^\s?#]+$/i;

/** Refuses, as `invalid`, a text that hides itself; an empty one is left to the other checks. */
const shown = z.refine<string>((value) => !value || !hidesItself(value), { params: { code: 'invalid' } });

/** A text field: trimmed, NFC-normalised, bounded, free of control characters. */
const text = (max: number, ...checks: Array<typeof shown>) =>
  z.string().check(z.trim(), z.normalize('NFC'), z.minLength(1), z.maxLength(max), z.regex(NO_CONTROL_CHARS), ...checks);

/** An optional text field: an empty string means "not given". */
const optionalText = (max: number, ...checks: Array<typeof shown>) =>
  z.optional(
    z.pipe(
      z.string().check(z.trim(), z.normalize('NFC'), z.maxLength(max), z.regex(NO_CONTROL_CHARS), ...checks),
      z.transform((value) => value || undefined),
    ),
  );

export const email = z.string().check(
  z.trim(),
  z.normalize('NFC'),
  z.minLength(1),
  z.maxLength(LIMITS.email),
  z.refine((value) => EMAIL.test(value) && value.indexOf('@') <= LIMITS.emailLocalPart, {
    abort: true,
    params: { code: 'invalid_email' },
  }),
);

/** Each field on its own, for the widget's checks as the visitor leaves a field. */
export const fields = {
  signerType: z.enum(SIGNER_TYPES),
  name: text(LIMITS.name, shown),
  organisation: optionalText(LIMITS.organisation, shown),
  organisationKind: z.optional(z.enum(ORGANISATION_KINDS)),
  role: optionalText(LIMITS.role, shown),
  country: z.enum(COUNTRIES),
  email,
  consent: z.literal(true),
  /**
   * The version of the consent text the signer was shown (the campaign's `consentVersion`): the
   * server refuses a signature whose text has changed since (`consent_changed`). Absent (an API
   * client), the campaign's current version is recorded.
   */
  consentVersion: optionalText(LIMITS.consentVersion),
  newsletter: z.optional(z.boolean()),
  listPublicly: z.optional(z.boolean()),
  partner: optionalText(LIMITS.partner).check(z.refine((v) => v === undefined || PARTNER_ID.test(v))),
  lang: optionalText(LIMITS.lang).check(z.refine((v) => v === undefined || LANGUAGE_TAG.test(v))),
  /** The partner's page the visitor signed on: recorded with the consent when it matches the partner. */
  page: optionalText(LIMITS.page).check(z.refine((v) => v === undefined || PAGE_URL.test(v))),
  // The anti-bot fields. The server requires `altcha` only while its bot protection is on.
  /** A solved proof-of-work challenge: see widget/bot-check.ts. */
  altcha: z.optional(z.string().check(z.minLength(1), z.maxLength(LIMITS.altcha), z.regex(BASE64))),
  /** The honeypot: a form field people never see, so only a bot fills it in. */
  website: optionalText(LIMITS.website),
};

export type SignatureField = keyof typeof fields;

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What a signer type requires of the other fields. Runs even when another field is bad, so one
 * answer names every bad field.
 */
export const signerTypeRules = z.superRefine<Partial<Record<SignatureField, unknown>>>(
  (value, ctx) => {
    const need = (field: 'organisation' | 'organisationKind' | 'role') => {
      if (value[field] === undefined) {
        ctx.issues.push({ code: 'custom', path: [field], input: value[field], params: { code: 'required' } });
      }
    };
    if (value.signerType === 'organisation') {
      need('organisation');
      need('organisationKind');
    }
    if (value.signerType === 'representative') need('role');
  },
  { when: ({ value }) => isPlainObject(value) },
);

/** A signature as the widget sends it and as an API client may send it. Unknown keys are refused. */
export const signatureSchema = z.strictObject(fields).check(signerTypeRules);

export type SignatureInput = z.input<typeof signatureSchema>;
export type Signature = z.output<typeof signatureSchema>;

/** Turns zod's issues into one code per field; `input` tells a missing value from a wrong one. */
function toFieldErrors(issues: readonly z.core.$ZodIssue[], input: Record<string, unknown>): FieldErrors {
  // No prototype, so that a field named `__proto__` is just a key.
  const errors: FieldErrors = Object.create(null);
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors[key] ??= 'unknown_field';
      continue;
    }
    const field = String(issue.path[0] ?? '');
    if (!field) continue;
    errors[field] ??= codeOf(field, issue, input[field]);
  }
  return errors;
}

function codeOf(field: string, issue: z.core.$ZodIssue, value: unknown): FieldErrorCode {
  const custom = (issue as { params?: { code?: FieldErrorCode } }).params?.code;
  if (custom) return custom;
  if (field === 'consent') return 'consent_required';
  if (issue.code === 'too_big') return 'too_long';
  if (value === undefined || value === null || (typeof value === 'string' && !value.trim())) {
    return 'required';
  }
  return 'invalid';
}

export type ValidationResult = { ok: true; value: Signature } | { ok: false; errors: FieldErrors };

/** signatureSchema, or another build of it from `fields` and `signerTypeRules` (the server's). */
export interface SignatureSchema {
  safeParse(input: unknown): { success: true; data: Signature } | { success: false; error: { issues: readonly z.core.$ZodIssue[] } };
}

/** Validates a signature; the caller has made sure `input` is a plain object. */
export function validateSignature(input: Record<string, unknown>, schema: SignatureSchema = signatureSchema): ValidationResult {
  const result = schema.safeParse(input);
  const errors = toFieldErrors(result.success ? [] : result.error.issues, input);
  // zod passes over a `__proto__` key; a strict schema must not.
  if (Object.hasOwn(input, '__proto__')) errors['__proto__'] = 'unknown_field';
  return result.success && !errors['__proto__'] ? { ok: true, value: result.data } : { ok: false, errors };
}

/** The code for one field's value, or undefined when it is fine. */
export function checkField(field: SignatureField, value: unknown): FieldErrorCode | undefined {
  const result = fields[field].safeParse(value);
  if (result.success) return undefined;
  return toFieldErrors(
    result.error.issues.map((issue) => ({ ...issue, path: [field] })),
    { [field]: value },
  )[field];
}
