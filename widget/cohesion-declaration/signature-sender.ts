/**
 * Sending a signature. A chunk of its own, loaded with the schema once the visitor starts on the
 * form: the proof of work starts as soon as it is here and runs while the visitor fills in the
 * form; `send` turns the form's values into the signature the API takes, checks it with the
 * shared schema, and posts it with the proof's answer. Every failure comes back as a `SignError`
 * with a kind the element can word for the visitor; nothing here throws anything else.
 */
import { SignError, type ApiClient, type SignResult } from '../api-client.js';
import { startBotCheck } from '../bot-check.js';
import { getLocale } from '../localization.js';
import { checkField, validateSignature, type Signature } from '../../contract/signature.js';
import type { FormValues } from './signing-form.js';
import { noteSignedHere } from './signed-here.js';
import { embeddingPage } from '../embedding.js';

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
  async send(client: ApiClient, values: FormValues, partner?: string): Promise<SignResult | undefined> {
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

function signatureOf(values: FormValues, page: Page, partner?: string) {
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
