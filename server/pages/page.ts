/**
 * Our own small pages (confirmation, withdrawal, the printable declaration, the development
 * outbox): one layout, the stylesheet /pages.css, no script, so they work everywhere and under a
 * strict CSP.
 */
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface Page {
  /** The language the page is written in. */
  lang: string;
  /** The page's one h1, also its title. */
  heading: string;
  /** What follows the heading. */
  body: Html;
  /** Cache-Control for a page that is the same for everyone; by default none is kept. */
  cache?: string;
  /** Under the page's content: the link to the privacy notice, on the pages about a signature. */
  footer?: Html;
}

export function renderPage(c: Context, { lang, heading, body, cache = 'no-store', footer }: Page, status: ContentfulStatusCode = 200) {
  // Most of these pages carry tokens in their URLs and personal details in their content: keep
  // them out of caches, and keep the URL out of the Referer of anything loaded or followed from them.
  c.header('Cache-Control', cache);
  c.header('Referrer-Policy', 'no-referrer');
  const content = html`<main>
      <h1>${heading}</h1>
      ${body}
    </main>
    ${footer ? html`<footer>${footer}</footer>` : ''}`;
  return c.html(htmlDocument(lang, heading, html`<link rel="stylesheet" href="/pages.css">`, content), status);
}

/** A whole page of ours, the iframe embed's too: its language, title, what else its head holds, and its body. */
export const htmlDocument = (lang: string, title: string, head: Html, body: Html) => html`<!doctype html>
<html lang="${lang}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex">
    <title>${title}</title>
    ${head}
  </head>
  <body>
    ${body}
  </body>
</html>
`;
