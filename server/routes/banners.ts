/**
 * Banners for partners' sites, newsletters and social posts:
 * `GET /api/campaigns/:campaign/banner.svg` and `banner.png`, `?lang=bg&size=728x90`, with
 * `&count=on` for the live count. The campaign's title and hashtag in the language asked for,
 * the count in its plural form, and the call to sign, laid out for standard web-banner sizes.
 *
 * No third-party fonts: the SVG names DejaVu Sans, then Verdana (whose widths it shares) and the
 * reader's sans-serif; the PNG is drawn by resvg with the DejaVu Sans files from npm, so it looks
 * the same on every server. Cached with an ETag of the SVG's bytes; a PNG, which takes
 * milliseconds to draw, is kept in memory by that hash too.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { Hono, type Context } from 'hono';
import { BANNER_SIZES } from '../../contract/banners.js';
import type { Campaign, CampaignCatalog } from '../campaigns.js';
import * as z from 'zod';
import { send, unknownCampaign } from '../http/api-reply.js';
import { matchesEtag } from '../http/negotiation.js';
import { parseQuery } from '../http/request-query.js';
import type { MessageCatalog } from '../messages.js';
import type { SignatureStore } from '../store/signature-store.js';

/** A banner's parameters: one of the campaign's languages (its default when absent), a size, the count or not. */
const bannerQuery = (campaign: Campaign) =>
  z.object({
    lang: z.enum(campaign.languages).default(campaign.defaultLang),
    size: z.enum(BANNER_SIZES).default('728x90'),
    count: z.literal('on').optional(),
  });

const BLUE = '#0b5cab';
const WHITE = '#ffffff';
const YELLOW = '#ffdd00';
const INK = '#0b0c0c';
const FONT = "'DejaVu Sans', Verdana, sans-serif";
/** DejaVu Sans's widest average advance, in em, for estimating a line's width (regular, bold). */
const ADVANCE = { regular: 0.6, bold: 0.66 };

const fontFile = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_FILES = [fontFile, fontFile.replace('DejaVuSans.ttf', 'DejaVuSans-Bold.ttf')];

/** Cached a few minutes; with the live count, one. */
const CACHE = 'public, max-age=300';
const CACHE_WITH_COUNT = 'public, max-age=60';
/** Drawn PNGs by their SVG's hash: every language and size twice over, with counts besides. */
const PNG_CACHE_ENTRIES = 500;

export interface BannerRoutesDeps {
  campaigns: CampaignCatalog;
  store: SignatureStore;
  messages: MessageCatalog;
}

export interface BannerText {
  lang: string;
  title: string;
  hashtag: string;
  /** The call to sign. */
  sign: string;
  /** The count, formatted, and its word; absent without `count=on`. */
  count?: { number: string; word: string };
}

export function bannerRoutes({ campaigns, store, messages }: BannerRoutesDeps) {
  const pngs = new Map<string, Buffer>();

  /** The banner's SVG from the request, with its hash, or the answer that names what is wrong. */
  async function banner(c: Context): Promise<{ svg: string; hash: string; counted: boolean } | Response> {
    const campaign = campaigns.get(c.req.param('campaign')!);
    if (!campaign) return send(c, unknownCampaign);
    const query = parseQuery(c, bannerQuery(campaign));
    if (query instanceof Response) return query;
    const { lang, size, count } = query;
    const [width, height] = size.split('x').map(Number) as [number, number];
    const text = await bannerText(campaign, lang, messages, count ? await store.count(campaign.id) : undefined);
    const svg = bannerSvg(width, height, text);
    return { svg, hash: createHash('sha256').update(svg).digest('base64url'), counted: !!count };
  }

  /**
   * Sends `body` with an ETag from the SVG's hash (the PNG is drawn from the SVG alone, so the
   * hash stands for it too), or 304 where the client has it.
   */
  function answer(c: Context, body: string | Buffer, type: string, { hash, counted }: { hash: string; counted: boolean }) {
    const etag = `"${hash.slice(0, 22)}"`;
    const headers = { ETag: etag, 'Cache-Control': counted ? CACHE_WITH_COUNT : CACHE, 'Content-Type': type };
    if (matchesEtag(c.req.header('If-None-Match'), etag)) return c.body(null, 304, headers);
    return c.body(typeof body === 'string' ? body : new Uint8Array(body), 200, headers);
  }

  return new Hono()
    .get('/:campaign/banner.svg', async (c) => {
      const made = await banner(c);
      return made instanceof Response ? made : answer(c, made.svg, 'image/svg+xml; charset=utf-8', made);
    })
    .get('/:campaign/banner.png', async (c) => {
      const made = await banner(c);
      if (made instanceof Response) return made;
      let png = pngs.get(made.hash);
      if (!png) {
        png = new Resvg(made.svg, { font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' } })
          .render()
          .asPng();
        if (pngs.size >= PNG_CACHE_ENTRIES) pngs.delete(pngs.keys().next().value!);
        pngs.set(made.hash, png);
      }
      return answer(c, png, 'image/png', made);
    });
}

/** What a banner says, in `lang`. */
export async function bannerText(campaign: Campaign, lang: string, catalog: MessageCatalog, count?: number): Promise<BannerText> {
  const { title } = campaign.texts(lang);
  const messages = catalog.in(lang);
  const text: BannerText = { lang, title, hashtag: campaign.hashtag, sign: messages.text('banner.sign') };
  if (count !== undefined) {
    text.count = { number: new Intl.NumberFormat(lang).format(count), word: messages.text('banner.supporters', { count }) };
  }
  return text;
}

/** A line of text at `size` px, as wide as DejaVu Sans draws it at most. */
const widthOf = (text: string, size: number, weight: keyof typeof ADVANCE) => [...text].length * size * ADVANCE[weight];

/**
 * `text` in lines no wider than `width` and, at 1.2 lines to the size, no taller than `height`
 * (and at most `maxLines`), at the largest of `sizes` that fits; at the smallest, what does not
 * fit is cut with an ellipsis.
 */
export function fitText(text: string, width: number, height: number, sizes: number[], weight: keyof typeof ADVANCE, maxLines = Infinity) {
  // Lines break between words, and after a hyphen inside one ("#CohesionAlliance-|liittouman").
  const pieces = text
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((word) => word.split(/(?<=-)(?=.)/).map((piece, i) => (i === 0 ? ` ${piece}` : piece)));
  const wrap = (size: number) => {
    const lines: string[] = [];
    for (const piece of pieces) {
      const joined = `${lines.at(-1) ?? ''}${piece}`;
      if (lines.length && widthOf(joined, size, weight) <= width) lines[lines.length - 1] = joined;
      else lines.push(piece.trimStart());
    }
    return lines;
  };
  const room = (size: number) => Math.max(1, Math.min(maxLines, Math.floor(height / (size * 1.2))));
  for (const size of sizes) {
    const lines = wrap(size);
    if (lines.length <= room(size) && lines.every((line) => widthOf(line, size, weight) <= width)) return { size, lines };
  }
  const size = sizes.at(-1)!;
  const perLine = Math.max(2, Math.floor(width / (size * ADVANCE[weight])));
  const lines = wrap(size).flatMap((line) => line.match(new RegExp(`.{1,${perLine}}`, 'gu')) ?? []);
  const kept = lines.slice(0, room(size));
  if (kept.length < lines.length) kept[kept.length - 1] = `${[...kept.at(-1)!].slice(0, perLine - 1).join('')}…`;
  return { size, lines: kept };
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const range = (from: number, to: number) =>
  Array.from({ length: Math.max(1, Math.floor(from) - Math.ceil(to) + 1) }, (_, i) => Math.floor(from) - i);

interface Block {
  x: number;
  y: number;
  lines: string[];
  size: number;
  weight: keyof typeof ADVANCE;
  fill: string;
  anchor?: 'start' | 'middle' | 'end';
}

const textElement = ({ x, y, lines, size, weight, fill, anchor = 'start' }: Block) =>
  lines
    .map(
      (line, i) =>
        `<text x="${x}" y="${Math.round(y + i * size * 1.2)}" font-size="${size}" font-weight="${weight}" fill="${fill}" text-anchor="${anchor}">${escapeXml(line)}</text>`,
    )
    .join('');

/** The call to sign: a yellow button, `maxWidth` wide at most, its text in one line or two. */
function button(sign: string, x: number, y: number, maxWidth: number, lineHeight: number, anchor: 'start' | 'middle' | 'end') {
  const inset = lineHeight * 0.3;
  const { size, lines } = fitText(sign, maxWidth - inset * 2, lineHeight * 1.6, range(lineHeight * 0.45, 9), 'bold', 2);
  const width = Math.min(maxWidth, Math.ceil(Math.max(...lines.map((line) => widthOf(line, size, 'bold'))) + inset * 2));
  const height = Math.max(lineHeight, Math.ceil(lines.length * size * 1.2 + inset * 1.2));
  const left = anchor === 'start' ? x : anchor === 'middle' ? x - width / 2 : x - width;
  const top = y + lineHeight - height;
  return (
    `<rect x="${Math.round(left)}" y="${Math.round(top)}" width="${width}" height="${height}" rx="${Math.round(lineHeight / 5)}" fill="${YELLOW}"/>` +
    textElement({
      x: Math.round(left + width / 2),
      y: Math.round(top + (height - lines.length * size * 1.2) / 2 + size * 0.95),
      lines,
      size,
      weight: 'bold',
      fill: INK,
      anchor: 'middle',
    })
  );
}

/** The banner: wide sizes in one row (title, then count and button); the others in a column. */
export function bannerSvg(width: number, height: number, text: BannerText): string {
  const pad = Math.round(Math.min(width, height) * 0.1);
  const parts: string[] = [];
  if (width / height >= 3) {
    // One row: the title on the left, the count and the button on the right.
    const buttonHeight = Math.round(Math.min(height * (text.count ? 0.42 : 0.5), 40));
    const right = Math.min(width * 0.4, 240);
    const title = fitText(text.title, width - right - pad * 3, height - pad * 2, range(height * 0.3, 9), 'bold', 2);
    const blockHeight = title.lines.length * title.size * 1.2;
    parts.push(textElement({ x: pad, y: (height - blockHeight) / 2 + title.size * 0.95, ...title, weight: 'bold', fill: WHITE }));
    const buttonY = text.count ? height - pad - buttonHeight : (height - buttonHeight) / 2;
    if (text.count) {
      const count = fitText(`${text.count.number} ${text.count.word}`, right, height, range(height * 0.22, 8), 'regular', 1);
      parts.push(textElement({ x: width - pad, y: buttonY - count.size * 0.45, ...count, weight: 'regular', fill: WHITE, anchor: 'end' }));
    }
    parts.push(button(text.sign, width - pad, buttonY, right, buttonHeight, 'end'));
  } else {
    // A column: the hashtag (unless the title has it), the title and the count, in the middle of
    // what the button at the foot leaves.
    const inner = width - pad * 2;
    const buttonHeight = Math.round(Math.min(44, Math.max(28, height * 0.12)));
    const blocks: Block[] = [];
    let room = height - pad * 3 - buttonHeight * 1.6;
    if (!text.title.includes(text.hashtag)) {
      const hashtag = fitText(text.hashtag, inner, room, range(width * 0.08, 9), 'bold', 1);
      blocks.push({ x: pad, y: 0, ...hashtag, weight: 'bold', fill: YELLOW });
    }
    if (text.count) {
      const count = fitText(`${text.count.number} ${text.count.word}`, inner, room, range(Math.min(width * 0.09, 22), 9), 'bold', 1);
      blocks.push({ x: pad, y: 0, ...count, weight: 'bold', fill: YELLOW });
    }
    room -= blocks.reduce((sum, block) => sum + block.size * 1.2 + pad / 2, 0);
    const title = fitText(text.title, inner, room, range(Math.min(width * 0.1, 30), 10), 'bold');
    blocks.splice(blocks.length - (text.count ? 1 : 0), 0, { x: pad, y: 0, ...title, weight: 'bold', fill: WHITE });
    const heightOf = (block: Block) => block.lines.length * block.size * 1.2;
    const total = blocks.reduce((sum, block) => sum + heightOf(block), 0) + (blocks.length - 1) * (pad / 2);
    let y = pad + Math.max(0, (height - pad * 3 - buttonHeight * 1.6 - total) / 2);
    for (const block of blocks) {
      parts.push(textElement({ ...block, y: y + block.size * 0.95 }));
      y += heightOf(block) + pad / 2;
    }
    parts.push(button(text.sign, width / 2, height - pad - buttonHeight, inner, buttonHeight, 'middle'));
  }
  const label = escapeXml(
    text.count ? `${text.title}: ${text.count.number} ${text.count.word}. ${text.sign}` : `${text.title}. ${text.sign}`,
  );
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}" lang="${escapeXml(text.lang)}" font-family="${FONT}">` +
    `<title>${label}</title><rect width="${width}" height="${height}" fill="${BLUE}"/>${parts.join('')}</svg>`
  );
}
