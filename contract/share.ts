/**
 * Asking others to sign: the networks' share addresses for a text and a link, the same in the
 * widget's thank-you step and on the confirmation page. Plain links: no network's script is
 * loaded anywhere. The link is the page the signer signed on, so its partner keeps the credit.
 */
const enc = encodeURIComponent;

/** Each network's name and share address. */
export function shareLinks(text: string, url: string): Array<[name: string, href: string]> {
  const both = `${text} ${url}`;
  return [
    ['X', `https://x.com/intent/post?text=${enc(text)}&url=${enc(url)}`],
    ['Facebook', `https://www.facebook.com/sharer/sharer.php?u=${enc(url)}`],
    ['LinkedIn', `https://www.linkedin.com/sharing/share-offsite/?url=${enc(url)}`],
    ['Bluesky', `https://bsky.app/intent/compose?text=${enc(both)}`],
    // Mastodon has no one server; this page asks the visitor for theirs.
    ['Mastodon', `https://toot.kytta.dev/?text=${enc(both)}`],
    ['WhatsApp', `https://wa.me/?text=${enc(both)}`],
  ];
}

/** A mail the signer writes themselves, with the text and the link. */
export const shareByEmail = (subject: string, text: string, url: string) =>
  `mailto:?subject=${enc(subject)}&body=${enc(`${text}\n\n${url}`)}`;
