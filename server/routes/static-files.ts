/**
 * Files: the built widget for partners' pages, the demo pages, the organiser dashboard
 * (`/admin`; its data comes from the admin API, behind the token), the webmasters' embed-code
 * builder (`/builder`) and the stylesheets of our own pages.
 * serveStatic refuses `..`, encoded separators and percent signs, so no path leaves its folder.
 *
 * The built files (widget, tools) go out as the build compressed them, `file.br` or `file.gz` by
 * Accept-Encoding, with the original file's Content-Type; our own pages and the demo, served from
 * their sources, are compressed as they are sent (http/compression.ts).
 */
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import { compressAnswers, varyOnEncoding } from '../http/compression.js';

export interface StaticRoutesDeps {
  /** The rollup output: the entry script plus hashed chunks under chunks/. */
  widgetDir: string;
  demoDir: string;
  contentDir: string;
  /** The built dashboard and embed-code builder, pages and scripts; by default dist/tools beside dist/widget. */
  toolsDir?: string;
}

// Chunk names carry a content hash, so a chunk never changes; the entry's name is fixed, so
// partners' pages pick up a new release within minutes.
const CACHE_HASHED = 'public, max-age=31536000, immutable';
const CACHE_ENTRY = 'public, max-age=300';
// Our own pages are small; always revalidate so an edit shows at once.
const CACHE_PAGE = 'no-cache';

const within = (prefix: string) => (path: string) => path.slice(prefix.length);

/**
 * For the built folders, beside serveStatic's `precompressed`: the compressed copies are no
 * addresses of their own (their bytes would go out as application/octet-stream), and every
 * answer varies on Accept-Encoding, the plain one included (serveStatic says so only when it
 * sends a compressed copy), so that no cache hands brotli to a client that cannot read it.
 */
const precompressedOnly: MiddlewareHandler = async (c, next) => {
  if (/\.(?:br|gz|zst)$/i.test(c.req.path)) return c.notFound();
  await next();
  if (c.res.ok) varyOnEncoding(c.res.headers);
};

export function staticRoutes({ widgetDir, demoDir, contentDir, toolsDir = join(widgetDir, '..', 'tools') }: StaticRoutesDeps) {
  return (
    new Hono()
      .use('/widget/*', precompressedOnly, async (c, next) => {
        await next();
        // Module scripts from another origin load only with CORS.
        c.res.headers.set('Access-Control-Allow-Origin', '*');
        if (c.res.ok) c.res.headers.set('Cache-Control', c.req.path.startsWith('/widget/chunks/') ? CACHE_HASHED : CACHE_ENTRY);
      })
      .get('/widget/*', serveStatic({ root: widgetDir, rewriteRequestPath: within('/widget'), precompressed: true }))
      .use('/', pageCache, compressAnswers)
      .get('/', serveStatic({ path: join(demoDir, 'index.html') }))
      .use('/demo/*', pageCache, compressAnswers)
      // The builder's address before it left the demo pages, which partners may have bookmarked.
      .get('/demo/builder.html', (c) => c.redirect('../builder', 301))
      .get('/demo/*', serveStatic({ root: demoDir, rewriteRequestPath: within('/demo') }))
      .use('/tools/*', pageCache, precompressedOnly)
      .get('/tools/*', serveStatic({ root: toolsDir, rewriteRequestPath: within('/tools'), precompressed: true }))
      .use('/admin', pageCache, precompressedOnly)
      .get('/admin', serveStatic({ path: join(toolsDir, 'admin.html'), precompressed: true }))
      .use('/builder', pageCache, precompressedOnly)
      .get('/builder', serveStatic({ path: join(toolsDir, 'builder.html'), precompressed: true }))
      .use('/pages.css', pageCache, compressAnswers)
      .get('/pages.css', serveStatic({ path: join(contentDir, 'pages', 'pages.css') }))
      .use('/tools.css', pageCache, compressAnswers)
      .get('/tools.css', serveStatic({ path: join(contentDir, 'pages', 'tools.css') }))
  );
}

const pageCache: MiddlewareHandler = async (c, next) => {
  await next();
  if (c.res.ok) c.res.headers.set('Cache-Control', CACHE_PAGE);
};
