/**
 * Signing. Bad input is answered with a 4xx naming the problem; a duplicate gets exactly the
 * answer a new signature gets, so the API never tells whether an address has signed before.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { emailKey, isPlainObject, validateSignature, type Signature } from '../../widget/signature.js';
import type { Campaign, CampaignCatalog } from '../campaigns.js';
import type { MailWorker } from '../mail/mail-worker.js';
import type { NewSignature, SignatureStatus, SignatureStore } from '../store/signature-store.js';
import { apiError, unknownCampaign } from '../http/api-error.js';

export interface SignatureRoutesDeps {
  campaigns: CampaignCatalog;
  store: SignatureStore;
  doubleOptIn: boolean;
  now: () => number;
  /** Sends the mail that `store.add` queued. */
  mailWorker: Pick<MailWorker, 'wake'>;
}

/** Far above any real signature (all fields at their limits fit in about 1 KiB). */
export const MAX_BODY_BYTES = 8 * 1024;

export function signatureRoutes({ campaigns, store, doubleOptIn, now, mailWorker }: SignatureRoutesDeps) {
  return new Hono().post(
    '/:campaign/signatures',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => apiError(c, 413, 'payload_too_large', 'The request body is larger than 8 KiB.'),
    }),
    async (c) => {
      if (!isJsonMediaType(c.req.header('Content-Type'))) {
        return apiError(c, 415, 'unsupported_media_type', 'Send the signature as application/json.');
      }
      const campaign = campaigns.get(c.req.param('campaign'));
      if (!campaign) return unknownCampaign(c);

      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        return apiError(c, 400, 'invalid_json', 'The request body is not valid JSON.');
      }
      if (!isPlainObject(body)) return apiError(c, 400, 'invalid_body', 'The request body must be a JSON object.');
      const result = validateSignature(body);
      if (!result.ok) {
        return apiError(c, 400, 'invalid_fields', 'Some fields are missing or not valid.', result.errors);
      }

      const status: SignatureStatus = doubleOptIn ? 'pending' : 'confirmed';
      // The mail (confirm and withdraw links) is queued with the signature, in one transaction.
      // The outcome (added or duplicate) is deliberately not used in the answer.
      await store.add(toNewSignature(result.value, campaign, status, now()));
      void mailWorker.wake();
      if (status === 'pending') return c.json({ status: 'pending' }, 202);
      return c.json({ status: 'counted', count: await store.count(campaign.id) }, 201);
    },
  );
}

/** `application/json`, with or without parameters such as `charset=utf-8`. */
function isJsonMediaType(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function toNewSignature(signature: Signature, campaign: Campaign, status: SignatureStatus, createdAt: number): NewSignature {
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
    partner: signature.partner,
    lang: signature.lang,
    newsletter: signature.newsletter ?? false,
    listPublicly: signature.listPublicly ?? false,
    consentVersion: campaign.consentVersion,
    status,
    createdAt,
  };
}
