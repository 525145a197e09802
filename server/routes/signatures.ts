/**
 * Signing. Bad input is answered with a 4xx naming the problem; a duplicate (or a pending
 * signature's replacement, see SignatureStore.add) gets exactly the answer a new signature gets,
 * so the API never tells whether an address has signed before.
 *
 * In order: the page's origin, the client's rate, the body's size, its type, the fields with the
 * proof of work, the email's rate and its domain's; then the proof is spent, and a filled-in honeypot gets the
 * answer a signature gets, with nothing stored, so a bot learns nothing.
 */
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
import { apiError, unknownCampaign, type ApiReply } from '../http/api-reply.js';
import { clientAddress, clientKey } from '../http/client-address.js';
import type { DoorRoute } from '../http/node-door.js';
import type { PartnerOriginPolicy } from '../http/partner-origins.js';
import { isJsonMediaType, readBody, TOO_LARGE } from '../http/request-body.js';
import type { Logger } from '../logger.js';
import type { MailWorker } from '../mail/mail-worker.js';
import type { ProofOfWork } from '../protection/proof-of-work.js';
import { tooManyRequests, type RateLimits } from '../protection/rate-limits.js';
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
  trustProxy: TrustProxy;
}

/** Above any real signature: all fields at their limits, in any script, fit in under 5 KiB. */
export const MAX_BODY_BYTES = 8 * 1024;

/**
 * The widget's schema (the same `fields` and rules) as a classic zod object, which zod compiles
 * into one function: it checks a signature in well under half the time of the zod/mini object
 * the widget loads. Classic zod stays out of the widget's bundle.
 */
const serverSchema: SignatureSchema = z.strictObject(fields).check(signerTypeRules);

/** `POST /api/campaigns/:campaign/signatures`, through the Node door. */
export function signatureRoute(deps: SignatureRoutesDeps): DoorRoute {
  const { campaigns, store, doubleOptIn, now, mailWorker, logger, origins, proofOfWork, rateLimits, trustProxy } = deps;

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

  return {
    method: 'POST',
    pattern: '/api/campaigns/:campaign/signatures',
    path: /^\/api\/campaigns\/([^/]+)\/signatures$/,
    signing: true,
    async handle({ params: [id], incoming }): Promise<ApiReply> {
      const { origin } = incoming.headers;
      if (!origins.maySign(origin)) return apiError(403, 'origin_not_allowed', 'Signing is not open to pages at this origin.');
      const clientWait = rateLimits?.signFrom(clientKey(clientAddress(incoming, trustProxy)));
      if (clientWait) return tooManyRequests(logger, 'signing_per_client', clientWait);

      // A body that cannot be read (the client went away mid-way) is answered as one that does not parse.
      const text = await readBody(incoming, MAX_BODY_BYTES).catch(() => undefined);
      if (text === TOO_LARGE) return apiError(413, 'payload_too_large', 'The request body is larger than 8 KiB.');
      if (!isJsonMediaType(incoming.headers['content-type'])) {
        return apiError(415, 'unsupported_media_type', 'Send the signature as application/json.');
      }
      const campaign = campaigns.get(id!);
      if (!campaign) return unknownCampaign;

      let body: unknown;
      try {
        if (text === undefined) throw new Error('unreadable body');
        body = JSON.parse(text);
      } catch {
        return apiError(400, 'invalid_json', 'The request body is not valid JSON.');
      }
      if (!isPlainObject(body)) return apiError(400, 'invalid_body', 'The request body must be a JSON object.');
      const result = validateSignature(body, serverSchema);
      // One answer names every bad field, the proof of work included.
      const errors: FieldErrors = result.ok ? {} : result.errors;
      // Agreed to a text that is no longer the campaign's: the signer reads the new one first.
      if (result.ok && result.value.consentVersion && result.value.consentVersion !== campaign.consentVersion) {
        errors.consent = 'consent_changed';
      }
      // None while bot protection is off.
      const proof = proofOfWork && (await verifyProof(proofOfWork, body.altcha, errors, campaign.id));
      if (!result.ok || proof?.ok === false || errors.consent) return invalidFields(errors);
      const signature = result.value;

      const emailLimit = rateLimits?.signFor(signature.email);
      if (emailLimit) return tooManyRequests(logger, emailLimit.limit, emailLimit.wait);
      if (proof?.ok && !(await store.spendProof(proof.id, proof.expiresAt, now()))) return invalidFields({ altcha: 'invalid' });

      const status: SignatureStatus = doubleOptIn ? 'pending' : 'confirmed';
      if (proofOfWork && signature.website) {
        logger.info('bot_refused', { reason: 'honeypot' });
      } else {
        // Where the browser says the page was: its Origin, or, from a page of this server (the
        // iframe embed), the page it names, which is the one that frames it.
        const signedFrom = origin === origins.ownOrigin && signature.page ? originOf(signature.page) : origin;
        const partner = origins.partnerFor(signature.partner, signedFrom);
        // The page is recorded with its partner, and only where it is at the origin that signed.
        const page =
          partner && signature.page && signedFrom !== undefined && originOf(signature.page) === signedFrom ? signature.page : undefined;
        // The mail (confirm and withdraw links) is queued with the signature, in one transaction.
        // The outcome (added, replaced or duplicate) is deliberately not used in the answer.
        await store.add(toNewSignature(signature, campaign, partner, page, status, now()));
        void mailWorker.wake();
      }
      if (status === 'pending') return { status: 202, body: { status: 'pending' } };
      return { status: 201, body: { status: 'counted', count: await store.count(campaign.id) } };
    },
  };
}

const invalidFields = (fields: FieldErrors) => apiError(400, 'invalid_fields', 'Some fields are missing or not valid.', fields);

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
