/**
 * The mail a signer gets, in their language: what they signed, with the details signed with
 * their address, the link to confirm (while their signature waits for it), the link to
 * withdraw, what to do if it was not them, and who organises the campaign and how to reach them
 * (when campaign.json names them).
 *
 * Anyone can sign with anyone's address, so the mail may be read by someone who never signed:
 * nothing in it is a stranger's text in our voice. The greeting names no one; the details that
 * whoever signed typed stand in quotes after their labels, made inert (inert-text.ts), in the
 * HTML part escaped as well and never inside a link.
 *
 * Multipart: one list of parts, written twice, as plain text and as HTML, so the two say the
 * same. The HTML part is one small document for every client: inline styles only (no <style>,
 * no classes), no images, no fonts, nothing loaded from anywhere; it sets no page or text
 * colour, so a client's dark mode has nothing to fight, and gives its one button explicit
 * colours (white on #1a56db, 6.2:1) that read on a light page and a dark one alike.
 */
import { html, raw } from 'hono/html';
import { privacyUrlFor, type Campaign, type CampaignCatalog } from '../campaigns.js';
import { CONFIRM_LINK_DAYS } from '../link-tokens.js';
import type { MessageCatalog, Messages } from '../messages.js';
import { detailLines, type DetailLine } from '../signature-details.js';
import type { LinkPurpose, MailJob } from '../store/signature-store.js';
import { inertText } from './inert-text.js';
import type { MailMessage } from './mailer.js';
import type { Html } from '../pages/page.js';

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

/** One piece of the mail, as both parts show it. */
type Part =
  | { kind: 'paragraph'; text: string }
  | { kind: 'details'; intro: string; lines: DetailLine[] }
  /** A sentence and its link: the link on a line of its own in text, a button (`primary`) or a plain link in HTML. Without a sentence, the link's label stands alone. */
  | { kind: 'link'; text: string; url: string; label: string; primary: boolean }
  /** The organiser's name and contact: theirs, from campaign.json, so they may be links. */
  | { kind: 'organiser'; organisedBy: string; contact?: { before: string; shown: string; after: string; href: string } };

export function signerMail(job: MailJob, tokens: MailTokens, { campaigns, messages, publicUrl }: SignerMailDeps): MailMessage {
  const m = messages.in(job.lang);
  const campaign = campaigns.get(job.campaign);
  const title = campaign?.texts(m.lang).title ?? job.campaign;
  const values = { title, days: CONFIRM_LINK_DAYS };
  const link = (purpose: LinkPurpose, token: string) => `${publicUrl}/${purpose}?token=${token}`;
  const parts: Part[] = [
    { kind: 'paragraph', text: m.text('mail.greeting') },
    { kind: 'details', intro: m.text('details.intro'), lines: detailLines(job.details, m) },
    tokens.confirm
      ? {
          kind: 'link',
          text: m.text('mail.confirm', values),
          url: link('confirm', tokens.confirm),
          label: m.text('page.confirm.button'),
          primary: true,
        }
      : { kind: 'paragraph', text: m.text('mail.counted', values) },
    {
      kind: 'link',
      text: m.text('mail.withdraw', values),
      url: link('withdraw', tokens.withdraw),
      label: m.text('page.withdraw.button'),
      primary: false,
    },
    { kind: 'paragraph', text: m.text(tokens.confirm ? 'mail.not_you.confirm' : 'mail.not_you.counted', values) },
    ...organiserPart(campaign, m),
    ...(campaign
      ? [
          {
            kind: 'link' as const,
            text: '',
            url: privacyUrlFor(campaign, m.lang, publicUrl),
            label: m.text('privacy.link'),
            primary: false,
          },
        ]
      : []),
    ...(campaign?.hashtag ? [{ kind: 'paragraph' as const, text: campaign.hashtag }] : []),
  ];
  const subject = m.text(tokens.confirm ? 'mail.subject.confirm' : 'mail.subject.counted', values);
  return { to: job.email, subject, text: asText(parts, m), html: asHtml(parts, m, { title, subject }) };
}

function organiserPart(campaign: Campaign | undefined, m: Messages): Part[] {
  const organiser = campaign?.organiser;
  if (!organiser) return [];
  const { name, email, url } = organiser;
  const contact = email ? { href: `mailto:${email}`, shown: email } : url ? { href: url, shown: url } : undefined;
  // The sentence around the contact, so that HTML can make a link of the contact alone.
  const [before = '', after = ''] = m.text('mail.contact', { contact: '\u0000' }).split('\u0000');
  return [
    { kind: 'organiser', organisedBy: m.text('mail.organiser', { organiser: name }), contact: contact && { ...contact, before, after } },
  ];
}

/** French sets a (no-break) space before a colon, as its texts do. */
const colonIn = (m: Messages) => (m.lang === 'fr' ? '\u00a0: ' : ': ');

/** A detail's value: what was typed in quotes and inert, our own words as they are. */
const detailValue = ({ text, typed }: DetailLine) => (typed ? `“${inertText(text)}”` : text);

function asText(parts: Part[], m: Messages): string {
  const colon = colonIn(m);
  const paragraphs = parts.map((part) => {
    switch (part.kind) {
      case 'paragraph':
        return part.text;
      case 'details':
        return `${part.intro}\n\n${part.lines.map((line) => `  ${line.label ? `${line.label}${colon}` : ''}${detailValue(line)}`).join('\n')}`;
      case 'link':
        return `${part.text || part.label}\n${part.url}`;
      case 'organiser':
        return part.contact ? `${part.organisedBy}\n${part.contact.before}${part.contact.shown}${part.contact.after}` : part.organisedBy;
    }
  });
  return `${paragraphs.join('\n\n')}\n`;
}

const STYLE = {
  body: 'margin:0;padding:0;',
  wrapper: 'max-width:600px;margin:0 auto;padding:24px 16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;',
  heading: 'margin:0 0 24px;font-size:22px;line-height:1.3;',
  headingOverOrganiser: 'margin:0 0 4px;font-size:22px;line-height:1.3;',
  paragraph: 'margin:0 0 16px;',
  organisedBy: 'margin:0 0 24px;font-size:14px;',
  details: 'margin:0 0 24px;border-collapse:collapse;border-left:3px solid #8a8a8a;',
  detailLabel: 'padding:4px 16px 4px 12px;text-align:left;vertical-align:top;font-weight:normal;',
  detailValue: 'padding:4px 0;vertical-align:top;font-weight:bold;',
  detailSentence: 'padding:4px 0 4px 12px;',
  // Explicit colours on both sides, so no client's dark mode leaves white on white; the border
  // keeps its shape where a client drops the background.
  button:
    'display:inline-block;padding:12px 24px;border:2px solid #1a56db;border-radius:6px;background-color:#1a56db;color:#ffffff;font-weight:bold;text-decoration:none;',
  link: 'text-decoration:underline;',
};

/** The lines of HTML, one after the other: each escaped already, as html`` made it. */
const joined = (items: Array<Html | string>) => raw(items.join('\n'));

function asHtml(parts: Part[], m: Messages, { title, subject }: { title: string; subject: string }): string {
  // The organiser's name goes under the heading; their contact at the end, with the hashtag.
  const organiser = parts.find((part) => part.kind === 'organiser');
  const body = parts.map((part) => {
    switch (part.kind) {
      case 'paragraph':
        return html`<p style="${STYLE.paragraph}">${part.text}</p>`;
      case 'details':
        return html`<p style="${STYLE.paragraph}">${part.intro}</p>\n<table style="${STYLE.details}">\n${joined(
          part.lines.map((line) =>
            line.label
              ? html`<tr><th scope="row" style="${STYLE.detailLabel}">${line.label}</th><td style="${STYLE.detailValue}">${detailValue(line)}</td></tr>`
              : html`<tr><td colspan="2" style="${STYLE.detailSentence}">${detailValue(line)}</td></tr>`,
          ),
        )}\n</table>`;
      case 'link':
        return part.primary
          ? html`<p style="${STYLE.paragraph}">${part.text}</p>\n<p style="${STYLE.paragraph}"><a href="${part.url}" style="${STYLE.button}">${part.label}</a></p>`
          : html`<p style="${STYLE.paragraph}">${part.text ? `${part.text} ` : ''}<a href="${part.url}" style="${STYLE.link}">${part.label}</a></p>`;
      case 'organiser': {
        const { contact } = part;
        return contact
          ? html`<p style="${STYLE.paragraph}">${contact.before}<a href="${contact.href}" style="${STYLE.link}">${contact.shown}</a>${contact.after}</p>`
          : '';
      }
    }
  });
  return String(html`<!doctype html>
<html lang="${m.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${subject}</title>
</head>
<body style="${STYLE.body}">
<div style="${STYLE.wrapper}">
${
  organiser
    ? html`<h1 style="${STYLE.headingOverOrganiser}">${title}</h1>\n<p style="${STYLE.organisedBy}">${organiser.organisedBy}</p>`
    : html`<h1 style="${STYLE.heading}">${title}</h1>`
}
${joined(body.filter(Boolean))}
</div>
</body>
</html>
`);
}
