/**
 * Checking and sending a signature. A chunk of its own, loaded with the schema once the visitor
 * starts on the form: the proof of work starts as soon as it is here and runs while the visitor
 * fills in the form. `errorsOf` says which of the form's fields to mark; `submit` checks the
 * form with the shared schema, turns its values into the signature the API takes and posts it
 * with the proof's answer, then shows the thanks or what went wrong. Every failure comes back as
 * a `SignError` with a kind the element can word for the visitor; nothing here throws anything else.
 */
import { SignError, type ApiClient, type SignResult } from '../api-client.js';
import { startBotCheck } from '../bot-check.js';
import { getLocale } from '../localization.js';
import {
  checkField,
  validateSignature,
  type FieldErrorCode,
  type FieldErrors,
  type Signature,
  type SignatureField,
} from '../../contract/signature.js';
import { FIELDS_FOR, type FormValues, type SigningForm } from './signing-form.js';
import { noteSignedHere } from './signed-here.js';
import { embeddingPage } from '../embedding.js';

export { publicListLabel, renderSignerFields } from './signer-fields.js';

/** The errors the visitor should see now: after a field was touched and changed, or after a submit. */
export function errorsOf(form: SigningForm): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of FIELDS_FOR[form.values.signerType]) {
    const show = form.submitted || (form.touched.has(field) && form.dirty.has(field));
    // Nothing to agree to while the campaign's own consent text has not loaded.
    const unavailable = field === 'consent' && !form.campaign.campaign && 'consent_unavailable';
    const code = form.serverErrors[field] ?? (unavailable || clientError(form.values, field));
    if (show && code) errors[field] = code;
  }
  return errors;
}

function clientError(values: FormValues, field: SignatureField): FieldErrorCode | undefined {
  const value = values[field as keyof FormValues];
  const type = values.signerType;
  const needed =
    (field === 'organisation' && type === 'organisation') ||
    (field === 'organisationKind' && type === 'organisation') ||
    (field === 'role' && type === 'representative');
  if (needed && !String(value).trim()) return 'required';
  return checkField(field, value === '' && field !== 'name' && field !== 'email' ? undefined : value);
}

/**
 * The submit, once the form is busy (`sending`): checked, then sent; the thanks, the errors to
 * fix, or what went wrong, each with focus where the visitor reads on.
 */
export async function submit(form: SigningForm) {
  const { host } = form;
  form.submitted = true;
  form.failure = undefined;
  host.requestUpdate();
  const focus = async (selector: string) => {
    await host.updateComplete;
    host.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  };
  try {
    const { consentVersion } = form.campaign.campaign ?? {};
    const result =
      !Object.keys(errorsOf(form)).length &&
      (await form.signatureSender!.send(form.client(), { ...form.values, consentVersion }, host.partner));
    if (!result) {
      await focus('[part=error-summary]');
      return;
    }
    form.signed = result.status;
    host.requestUpdate();
    form.onSigned(result);
    await focus('[part=thanks] h3');
  } catch (error) {
    const failure = error instanceof SignError ? error : new SignError('server');
    form.failure = failure;
    form.serverErrors = failure.fields;
    if (failure.fields.consent === 'consent_changed') {
      // The organisers changed the text: it loads again, to be read and agreed to anew.
      form.values = { ...form.values, consent: false };
      form.campaign.load();
    }
    host.requestUpdate();
    form.onFailed(failure);
    if (failure.kind === 'invalid') await focus('[part=error-summary]');
  } finally {
    form.sending = false;
    host.requestUpdate();
  }
}

export class SignatureSender {
  private readonly botCheck;

  constructor(challengeUrl: string) {
    this.botCheck = startBotCheck(challengeUrl);
  }

  /**
   * The API's answer, or undefined, without sending, where the schema finds a field of the form
   * wanting (the form shows which). A field the visitor cannot see or change is a SignError of
   * kind `invalid`, so the button is never silent.
   */
  async send(client: ApiClient, values: FormValues & { consentVersion?: string }, partner?: string): Promise<SignResult | undefined> {
    const checked = validateSignature(signatureOf(values, signedOn(client), partner));
    if (checked.ok) return post(client.signaturesUrl(), { ...checked.value, ...(await this.altcha()) });
    if (Object.keys(checked.errors).some((field) => !(field in values))) throw new SignError('invalid', 0, checked.errors);
    return undefined;
  }

  /** The proof of work's answer, or nothing where the server asks for none (bot protection off). */
  private async altcha(): Promise<{ altcha?: string }> {
    try {
      return { altcha: await this.botCheck.solution() };
    } catch {
      return {};
    }
  }
}

async function post(url: string, signature: Signature): Promise<SignResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(signature),
      credentials: 'omit',
    });
  } catch {
    throw new SignError('network');
  }
  if (response.ok) {
    noteSignedHere();
    return response.json();
  }
  const body = await response.json().catch(() => ({}));
  const { status } = response;
  if (status === 429) {
    throw new SignError('rate-limited', status, {}, Number(response.headers.get('retry-after')) || 60);
  }
  if (status === 404) throw new SignError('not-found', status);
  if (status >= 400 && status < 500) throw new SignError('invalid', status, body.fields ?? {});
  if (status === 503 && body.error === 'store_unavailable') throw new SignError('unavailable', status);
  throw new SignError('server', status);
}

function signatureOf(values: FormValues & { consentVersion?: string }, page: Page, partner?: string) {
  const { organisation, organisationKind, role, website, ...rest } = values;
  const type = rest.signerType;
  return {
    ...rest,
    ...(website ? { website } : {}),
    ...(type !== 'individual' && organisation.trim() ? { organisation } : {}),
    ...(type === 'organisation' && organisationKind ? { organisationKind } : {}),
    ...(type === 'representative' && role.trim() ? { role } : {}),
    // A malformed partner id is the webmaster's slip, not the visitor's: sign without it.
    ...(partner && !checkField('partner', partner) ? { partner } : {}),
    lang: getLocale(),
    ...pageOf(page),
  };
}

type Page = Pick<URL, 'protocol' | 'origin' | 'pathname'>;

/**
 * The page signed on: this one, or, on a page of the API's own server in a frame (the iframe
 * embed), the page that frames it. The server credits a partner with it only where it is at one
 * of the partner's origins.
 */
function signedOn(client: ApiClient): Page {
  return new URL(client.signaturesUrl()).origin === location.origin ? (embeddingPage() ?? location) : location;
}

/**
 * The page signed on: optional, so it never blocks signing. As it reads (a percent-encoded
 * Cyrillic or Greek path is six times as long), else as it is, else none where the schema would
 * refuse it (too long); and none from a file or an about:srcdoc frame, which are no site's pages.
 */
function pageOf({ protocol, origin, pathname }: Page): { page?: string } {
  if (!/^https?:$/.test(protocol)) return {};
  let readable = pathname;
  try {
    readable = decodeURI(pathname);
  } catch {
    // A path that is not valid UTF-8 once decoded stays as it came.
  }
  const page = [origin + readable, origin + pathname].find((url) => !checkField('page', url));
  return page ? { page } : {};
}
