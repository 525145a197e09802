/**
 * The mail a signer gets, in their language: what they signed, with the details signed with
 * their address, the link to confirm (while their signature waits for it), the link to
 * withdraw, and what to do if it was not them.
 *
 * Anyone can sign with anyone's address, so the mail may be read by someone who never signed:
 * nothing in it is a stranger's text in our voice. The greeting names no one; the details that
 * whoever signed typed stand in quotes after their labels, made inert (inert-text.ts).
 */
import type { CampaignCatalog } from '../campaigns.js';
import { CONFIRM_LINK_DAYS } from '../link-tokens.js';
import type { MessageCatalog } from '../messages.js';
import { detailLines } from '../signature-details.js';
import type { LinkPurpose, MailJob } from '../store/signature-store.js';
import { inertText } from './inert-text.js';
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
  const values = { title: campaign?.texts(m.lang).title ?? job.campaign, days: CONFIRM_LINK_DAYS };
  const link = (purpose: LinkPurpose, token: string) => `${publicUrl}/${purpose}?token=${token}`;
  // French sets a (no-break) space before a colon, as its texts do.
  const colon = m.lang === 'fr' ? '\u00a0: ' : ': ';
  const details = detailLines(job.details, m).map(
    ({ label, text, typed }) => `  ${label ? `${label}${colon}` : ''}${typed ? `“${inertText(text)}”` : text}`,
  );
  const paragraphs = [
    m.text('mail.greeting'),
    `${m.text('details.intro')}\n\n${details.join('\n')}`,
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
