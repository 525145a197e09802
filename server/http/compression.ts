/**
 * Compression of answers made at request time: the long ones only (the supporters wall's pages,
 * the admin lists and export, our own pages), brotli or gzip as the client's Accept-Encoding
 * prefers. Mounted on those routes alone: the hot small answers (the count, a signature) would
 * pay for it and gain nothing, and the event stream must go out as it is written. The built
 * widget and tools are compressed at build time instead (rollup.config.mjs, serveStatic's
 * `precompressed` in routes/static-files.ts).
 *
 * Not hono/compress: it knows gzip and deflate only, and compresses an answer without a
 * Content-Length (every c.json) whatever its size.
 */
import { Duplex } from 'node:stream';
import { promisify } from 'node:util';
import { brotliCompress, constants, createBrotliCompress, createGzip, gzip, type BrotliOptions } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';
import { weighted } from './negotiation.js';

/** Below this many bytes an answer goes out as it is: the saving is smaller than a packet. */
export const COMPRESS_MIN_BYTES = 1024;

const COMPRESSIBLE_TYPE = /^(?:application\/json|text\/(?:html|css|csv|plain|javascript))\b/i;
const JSON_TYPE = /^application\/json\b/i;
// Quality 5: most of brotli's gain over gzip, at a fraction of the time of its best (11).
const BROTLI: BrotliOptions = {
  params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
};
const compressWhole = { br: promisify(brotliCompress), gzip: promisify(gzip) };
const compressStream = { br: () => createBrotliCompress(BROTLI), gzip: () => createGzip() };

type Encoding = 'br' | 'gzip';

/** The encoding the client accepts with the highest q (brotli on a tie), if any. */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  const q = new Map(weighted(acceptEncoding).map(({ value, q }) => [value.toLowerCase(), q]));
  const of = (encoding: Encoding) => q.get(encoding) ?? q.get('*') ?? 0;
  const best = of('br') >= of('gzip') ? 'br' : 'gzip';
  return of(best) > 0 ? best : undefined;
}

/** Adds Accept-Encoding to the answer's Vary, so a cache keeps the compressed and plain answers apart. */
export function varyOnEncoding(headers: Headers): void {
  const vary = headers.get('Vary');
  if (vary === '*' || (vary && /(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(vary))) return;
  headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
}

export const compressAnswers: MiddlewareHandler = async (c, next) => {
  await next();
  const res = c.res;
  const type = res.headers.get('Content-Type') ?? '';
  if (
    c.req.method === 'HEAD' ||
    res.status !== 200 ||
    !res.body ||
    res.headers.has('Content-Encoding') ||
    /\bno-transform\b/i.test(res.headers.get('Cache-Control') ?? '') ||
    !COMPRESSIBLE_TYPE.test(type)
  ) {
    return;
  }
  // The answer at this address is chosen by Accept-Encoding, the short ones too: this page may
  // be long tomorrow, and a cache must not hand its brotli to a client that cannot read it.
  varyOnEncoding(res.headers);
  const declared = res.headers.get('Content-Length');
  if (declared !== null && Number(declared) < COMPRESS_MIN_BYTES) return;
  const encoding = chooseEncoding(c.req.header('Accept-Encoding'));
  if (!encoding) return;
  if (declared === null && JSON_TYPE.test(type)) {
    // A JSON answer is made whole in memory anyway: read it to learn its size.
    const whole = new Uint8Array(await res.arrayBuffer());
    if (whole.length < COMPRESS_MIN_BYTES) return setBody(c, res, whole);
    const compressed = await compressWhole[encoding](whole, encoding === 'br' ? BROTLI : {});
    setBody(c, res, compressed as Uint8Array<ArrayBuffer>);
    c.res.headers.set('Content-Length', String(compressed.length));
  } else {
    // A file, or a stream long by nature (the CSV export): compressed as it flows.
    const { readable, writable } = Duplex.toWeb(compressStream[encoding]()) as unknown as ReadableWritablePair<Uint8Array, Uint8Array>;
    setBody(c, res, res.body.pipeThrough({ readable, writable }));
    c.res.headers.delete('Content-Length');
  }
  c.res.headers.set('Content-Encoding', encoding);
  const etag = c.res.headers.get('ETag');
  if (etag && !etag.startsWith('W/')) c.res.headers.set('ETag', `W/${etag}`);
};

/** Gives the answer a new body, with its status and headers. */
function setBody(c: Context, res: Response, body: BodyInit): void {
  c.res = new Response(body, res);
}
