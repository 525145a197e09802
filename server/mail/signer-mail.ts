/**
 * The mail a signer gets, in their language: what they signed, the link to confirm (while their
 * signature waits for it), the link to withdraw, and what to do if it was not them.
 */
import type { CampaignCatalog } from '../campaigns.js';
import { CONFIRM_LINK_DAYS } from '../link-tokens.js';
import type { MessageCatalog } from '../messages.js';
import type { LinkPurpose, MailJob } from '../store/signature-store.js';
import type { MailMessage } from './mailer.js';

export interface SignerMailDeps {
  campaigns: CampaignCatalog;
  messages: MessageCatalog;
  /** Base of the links, without a trailing slash. */
  publicUrl: string;
}

/** The raw tokens for this mail's links; `confirm` only while the signature is pending. */
export interface MailTokens {
  confirm?: string;
  withdraw: string;
}

export function signerMail(job: MailJob, tokens: MailTokens, { campaigns, messages, publicUrl }: SignerMailDeps): MailMessage {
  const m = messages.in(job.lang);
  const campaign = campaigns.get(job.campaign);
  const values = { name: job.name, title: campaign?.texts(m.lang).title ?? job.campaign, days: CONFIRM_LINK_DAYS };
  const link = (purpose: LinkPurpose, token: string) => `${publicUrl}/${purpose}?token=${token}`;
  const paragraphs = [
    m.text('mail.greeting', values),
    tokens.confirm ? `${m.text('mail.confirm', values)}\n${link('confirm', tokens.confirm)}` : m.text('mail.counted', values),
    `${m.text('mail.withdraw', values)}\n${link('withdraw', tokens.withdraw)}`,
    m.text(tokens.confirm ? 'mail.not_you.confirm' : 'mail.not_you.counted', values),
    campaign?.hashtag,
  ];
  return {
    to: job.email,
    subject: m.text(tokens.confirm ? 'mail.subject.confirm' : 'mail.subject.counted', values),
    text: `${paragraphs.filter(Boolean).join('\n\n')}\n`,
  };
}
