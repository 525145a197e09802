/**
 * The share step after signing: plain links to the common networks (no third-party script is
 * loaded), the device's own share sheet where it has one, and copying the link. A chunk of its
 * own: only people who have signed need it.
 */
import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';

export interface ShareContent {
  /** The page the visitor signed on: the partner's page, so the partner keeps the credit. */
  url: string;
  hashtag: string;
  title: string;
}

const enc = encodeURIComponent;

/** Each network's share address for a text and a link. */
function networks(text: string, url: string): [string, string][] {
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

export function renderShare(content: ShareContent, copied: boolean, onCopy: () => void) {
  const text = msg(str`I have signed the ${content.hashtag} Declaration of Principles. Add your name too:`);
  const canShare = typeof navigator.share === 'function';
  const nativeShare = () => navigator.share({ title: content.title, text, url: content.url }).catch(() => undefined);
  return html`<div part="share" class="share">
    <h4>${msg('Ask others to sign')}</h4>
    <ul>
      ${canShare ? html`<li><button type="button" @click=${nativeShare}>${msg('Share…')}</button></li>` : nothing}
      ${networks(text, content.url).map(
        ([name, href]) => html`<li><a href=${href} target="_blank" rel="noopener noreferrer">${name}</a></li>`,
      )}
      <li>
        <a href="mailto:?subject=${enc(content.title)}&body=${enc(`${text}\n\n${content.url}`)}">${msg('Email')}</a>
      </li>
      <li>
        <button type="button" @click=${onCopy}>${copied ? msg('Link copied') : msg('Copy link')}</button>
      </li>
    </ul>
  </div>`;
}
