/**
 * Signing. Bad input is answered with a 4xx naming the problem; a duplicate (or a pending
 * signature's replacement, see SignatureStore.add) gets exactly the answer a new signature gets,
 * so the API never tells whether an address has signed before.
 *
 * In order: the page's origin, the client's rate, the body's size, its type, the fields with the
 * proof of work, the email's rate and its domain's; then the proof is spent, and a filled-in honeypot gets the
 * answer a signature gets, with nothing stored, so a bot learns nothing.
 *
 * The logic is one framework-free function (`createSigning`): a request in, an ApiReply out.
 * Two doors lead to it: the Hono route below (app.request() in tests, and any request the fast
 * path passes on) and the Node fast path (`signingFastRoute`, see http/node-fast-path.ts), which
 * serves the signing POST without building web Requests and Responses.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as z from 'zod';
import {
  fields,
  isPlainObject,
  signerTypeRules,
  validateSignature,
  type FieldErrors,
  type Signature,
  type SignatureSchema,
} from '../../contract/signature.js';
import type { Campaign, CampaignCatalog } from '../campaigns.js';
import type { TrustProxy } from '../config.js';
import { emailKey } from '../email-key.js';
import { errorReply, unknownCampaignReply } from '../http/api-error.js';
import { isJsonMediaType, sendReply, type ApiReply } from '../http/api-reply.js';
import { addressOf, clientAddress, clientKey, type NodeBindings } from '../http/client-address.js';
import { TOO_LARGE, type FastRoute, type RequestBody } from '../http/node-fast-path.js';
import type { PartnerOriginPolicy } from '../http/partner-origins.js';
import type { Logger } from '../logger.js';
import type { MailWorker } from '../mail/mail-worker.js';
import type { ProofOfWork } from '../protection/proof-of-work.js';
import { rateLimited, type RateLimits } from '../protection/rate-limits.js';
import type { NewSignature, SignatureStatus, SignatureStore } from '../store/signature-store.js';

export interface SignatureRoutesDeps {
  campaigns: CampaignCatalog;
  store: SignatureStore;
  doubleOptIn: boolean;
  now: () => number;
  /** Sends the mail that `store.add` queued. */
  mailWorker: Pick<MailWorker, 'wake'>;
  logger: Logger;
  origins: PartnerOriginPolicy;
  /** Absent while BOT_PROTECTION is off: then no proof of work, fill time or honeypot. */
  proofOfWork?: ProofOfWork;
  /** Absent while RATE_LIMIT is off. */
  rateLimits?: RateLimits;
}

/** Above any real signature: all fields at their limits, in any script, fit in under 5 KiB. */
export const MAX_BODY_BYTES = 8 * 1024;

/** What signing needs of a request, whichever door it came through. */
export interface SigningRequest {
  /** The campaign id, as the path names it. */
  campaign: string;
  header(name: string): string | undefined;
  /** The client's address (see clientAddress), for the rate limit per client. */
  client: string | undefined;
  /** Reads the body, once, up to MAX_BODY_BYTES. Called only for a request that gets that far. */
  body(): Promise<RequestBody>;
}

export type Signing = (request: SigningRequest) => Promise<ApiReply>;

/**
 * The widget's schema (the same `fields` and rules) as a classic zod object, which zod compiles
 * into one function: it checks a signature in well under half the time of the zod/mini object
 * the widget loads. Classic zod stays out of the widget's bundle.
 */
const serverSchema: SignatureSchema = z.strictObject(fields).check(signerTypeRules);

const textDecoder = new TextDecoder();

export function createSigning(deps: SignatureRoutesDeps): Signing {
  const { campaigns, store, doubleOptIn, now, mailWorker, logger, origins, proofOfWork, rateLimits } = deps;

  /** Checks `altcha` unless the schema refused it already; a failure goes into `errors`. */
  const verifyProof = async (proofOfWork: ProofOfWork, altcha: unknown, errors: FieldErrors, campaign: string) => {
    if (errors.altcha) return undefined;
    // Past the schema, it is a string of the right shape, or absent.
    const proof = await proofOfWork.verify(altcha as string | undefined, campaign);
    if (!proof.ok) {
      errors.altcha = proof.code;
      if (proof.code !== 'required') logger.info('bot_refused', { reason: `altcha_${proof.code}` });
    }
    return proof;
  };

  return async (request) => {
    const origin = request.header('Origin');
    if (!origins.maySign(origin)) return errorReply(403, 'origin_not_allowed', 'Signing is not open to pages at this origin.');
    const clientWait = rateLimits?.signFrom(clientKey(request.client));
    if (clientWait) return rateLimited(logger, 'signing_per_client', clientWait);

    // A body that cannot be read (the client went away mid-way) is answered as one that does not parse.
    const raw = await request.body().catch(() => undefined);
    if (raw === TOO_LARGE) return errorReply(413, 'payload_too_large', 'The request body is larger than 8 KiB.');
    if (!isJsonMediaType(request.header('Content-Type'))) {
      return errorReply(415, 'unsupported_media_type', 'Send the signature as application/json.');
    }
    const campaign = campaigns.get(request.campaign);
    if (!campaign) return unknownCampaignReply();

    let body: unknown;
    try {
      if (raw === undefined) throw new Error('unreadable body');
      body = JSON.parse(textDecoder.decode(raw));
    } catch {
      return errorReply(400, 'invalid_json', 'The request body is not valid JSON.');
    }
    if (!isPlainObject(body)) return errorReply(400, 'invalid_body', 'The request body must be a JSON object.');
    const result = validateSignature(body, serverSchema);
    // One answer names every bad field, the proof of work included.
    const errors: FieldErrors = result.ok ? {} : result.errors;
    // None while bot protection is off.
    const proof = proofOfWork && (await verifyProof(proofOfWork, body.altcha, errors, campaign.id));
    if (!result.ok || proof?.ok === false) return invalidFields(errors);
    const signature = result.value;

    const emailLimit = rateLimits?.signFor(signature.email);
    if (emailLimit) return rateLimited(logger, emailLimit.limit, emailLimit.wait);
    if (proof?.ok && !(await store.spendProof(proof.id, proof.expiresAt, now()))) return invalidFields({ altcha: 'invalid' });

    const status: SignatureStatus = doubleOptIn ? 'pending' : 'confirmed';
    if (proofOfWork && signature.website) {
      logger.info('bot_refused', { reason: 'honeypot' });
    } else {
      const partner = origins.partnerFor(signature.partner, origin);
      // The page is recorded with its partner, and only when the browser's Origin says it signed there.
      const page = partner && signature.page && origin !== undefined && originOf(signature.page) === origin ? signature.page : undefined;
      // The mail (confirm and withdraw links) is queued with the signature, in one transaction.
      // The outcome (added, replaced or duplicate) is deliberately not used in the answer.
      await store.add(toNewSignature(signature, campaign, partner, page, status, now()));
      void mailWorker.wake();
    }
    if (status === 'pending') return { status: 202, body: { status: 'pending' } };
    return { status: 201, body: { status: 'counted', count: await store.count(campaign.id) } };
  };
}

/** `POST /:campaign/signatures` in Hono, for app.request() and for what the fast path passes on. */
export function signatureRoutes(sign: Signing, trustProxy: TrustProxy) {
  return new Hono<NodeBindings>().post('/:campaign/signatures', async (c) => {
    const body = async (): Promise<RequestBody> => {
      let read: RequestBody = TOO_LARGE;
      // Hono's bodyLimit, called here rather than as middleware, so that it runs in the order above.
      await bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => new Response(null) })(c, async () => {
        read = new Uint8Array(await c.req.arrayBuffer());
      });
      return read;
    };
    const header = (name: string) => c.req.header(name);
    const client = clientAddress(c, trustProxy);
    return sendReply(c, await sign({ campaign: c.req.param('campaign'), header, client, body }));
  });
}

/**
 * The same route on the Node fast path. The fast path gives the socket's address (app.ts
 * passes it no proxy setting); TRUST_PROXY is applied here, with the rule clientAddress uses.
 */
export function signingFastRoute(sign: Signing, trustProxy: TrustProxy): FastRoute {
  return {
    method: 'POST',
    pattern: '/api/campaigns/:campaign/signatures',
    path: /^\/api\/campaigns\/([^/]+)\/signatures$/,
    maxBodyBytes: MAX_BODY_BYTES,
    cors: 'signing',
    handle: ({ params: [campaign = ''], header, client, body }) =>
      sign({ campaign, header, client: addressOf(client, header, trustProxy), body }),
  };
}

const invalidFields = (fields: FieldErrors) => errorReply(400, 'invalid_fields', 'Some fields are missing or not valid.', fields);

/** The origin of a URL, or undefined for one that does not parse. */
function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

function toNewSignature(
  signature: Signature,
  campaign: Campaign,
  partner: string | undefined,
  page: string | undefined,
  status: SignatureStatus,
  createdAt: number,
): NewSignature {
  return {
    campaign: campaign.id,
    emailKey: emailKey(signature.email),
    signerType: signature.signerType,
    name: signature.name,
    organisation: signature.organisation,
    organisationKind: signature.organisationKind,
    role: signature.role,
    country: signature.country,
    email: signature.email,
    partner,
    page,
    lang: signature.lang,
    newsletter: signature.newsletter ?? false,
    listPublicly: signature.listPublicly ?? false,
    consentVersion: campaign.consentVersion,
    status,
    createdAt,
  };
}
