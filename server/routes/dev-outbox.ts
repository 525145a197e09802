/**
 * `GET /dev/outbox`: the mails that would have been sent, while SMTP_URL is unset (which the
 * settings allow only for a PUBLIC_URL on this machine). The mails show signers' addresses and
 * their links, so only a browser on this machine, not through a proxy, and asking by one of this
 * machine's own names (see isLocalRequest), gets to see them, even where a server was started
 * with the defaults on a public address.
 *
 * The list shows each mail's plain-text part; `GET /dev/outbox/<id>.html` its HTML part, as a
 * mail client would, under a policy that lets it load and run nothing (inline styles aside).
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import { isLocalRequest, type NodeBindings } from '../http/client-address.js';
import type { DevOutbox } from '../mail/dev-outbox.js';
import { renderPage } from '../pages/page.js';

const URL_IN_TEXT = /(https?:\/\/[^\s<>"]+)/;

export function devOutboxRoutes(outbox: DevOutbox) {
  return new Hono<NodeBindings>()
    .get('/dev/outbox/:file{[0-9]+\\.html}', (c, next) => {
      if (!isLocalRequest(c)) return next();
      const mail = outbox.get(Number.parseInt(c.req.param('file'), 10));
      if (!mail) return next();
      return c.html(mail.html, 200, {
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox",
        'Cache-Control': 'no-store',
      });
    })
    .get('/dev/outbox', (c, next) => {
      if (!isLocalRequest(c)) return next();
      const mails = outbox.list();
      const body = html`<p>
        SMTP_URL is not set, so no mail leaves this server: the latest are kept here, newest first,
        until it stops.
      </p>
      ${
        mails.length
          ? html`<ol class="outbox">
            ${mails.map((mail) => {
              const time = new Date(mail.sentAt).toISOString();
              return html`<li>
                <h2>${mail.subject}</h2>
                <dl>
                  <dt>To</dt>
                  <dd>${mail.to}</dd>
                  <dt>Time</dt>
                  <dd><time datetime="${time}">${time}</time></dd>
                </dl>
                <pre>${withLinks(mail.text)}</pre>
                <p><a href="/dev/outbox/${mail.id}.html">The HTML part</a></p>
              </li>`;
            })}
          </ol>`
          : html`<p>No mails yet.</p>`
      }`;
      return renderPage(c, { lang: 'en', heading: 'Development outbox', body });
    });
}

/** The text, escaped, with its URLs as links (split() with a capturing group puts them at odd indexes). */
const withLinks = (text: string) => text.split(URL_IN_TEXT).map((part, i) => (i % 2 ? html`<a href="${part}">${part}</a>` : part));
