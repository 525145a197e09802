/**
 * The key under which one signature per mailbox per campaign is kept, and under which signing and
 * mailing are rate-limited per address. Only the server needs it: the widget never keys anything
 * by email. The address itself is stored and mailed as the signer typed it.
 *
 * One mailbox, one key: the address case-folded; without a `+tag` (the sub-address that mail
 * providers deliver to the mailbox without it); and for Gmail, which ignores dots in the local
 * part and answers to googlemail.com as well, without dots and under gmail.com.
 *
 * Signatures stored before this rule keep the key they were given then (legacyEmailKey): such a
 * signer may sign once more under the new key (`x+1@…` before, `x+2@…` now: two signatures),
 * and an erasure on request looks under both keys.
 */
const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

export function emailKey(address: string): string {
  const folded = legacyEmailKey(address);
  const at = folded.lastIndexOf('@');
  if (at < 0) return folded;
  let local = folded.slice(0, at);
  let domain = folded.slice(at + 1);
  // A local part that is nothing but a tag is kept whole.
  const tag = local.indexOf('+');
  if (tag > 0) local = local.slice(0, tag);
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.replaceAll('.', '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}

/** The key of signatures stored before keys were canonical: the address trimmed, NFC and case-folded. */
export const legacyEmailKey = (address: string) => address.normalize('NFC').trim().toLowerCase();

/** The recipient domain of an email key, for the limit of mails per domain. */
export const emailDomainOf = (key: string) => key.slice(key.lastIndexOf('@') + 1);
