import { builtinModules } from 'node:module';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import minifyHTML from '@lit-labs/rollup-plugin-minify-html-literals';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

const { dependencies } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const serverExternals = [...builtinModules, ...Object.keys(dependencies)];

/** Empties an output folder first, so no stale chunk is served. */
const clean = (dir) => ({ name: 'clean', buildStart: () => rmSync(dir, { recursive: true, force: true }) });

/** Copies pages into the output as they are: output name → source file. */
const copyPages = (pages) => ({
  name: 'copy-pages',
  generateBundle() {
    for (const [fileName, source] of Object.entries(pages)) {
      this.emitFile({ type: 'asset', fileName, source: readFileSync(source, 'utf8') });
    }
  },
});

/** Files worth compressing, and the size below which compression does not pay (a header, a round trip). */
export const PRECOMPRESSED = /\.(?:js|mjs|html|css|json|svg|map)$/;
export const PRECOMPRESS_MIN_BYTES = 1024;
/**
 * Writes `file.br` (brotli, best quality) and `file.gz` (gzip -9) beside each text file the build
 * wrote to `dir`, for the server to send by Accept-Encoding (serveStatic's `precompressed`).
 */
const precompress = (dir) => ({
  name: 'precompress',
  writeBundle(_, bundle) {
    for (const fileName of Object.keys(bundle).filter((name) => PRECOMPRESSED.test(name))) {
      const path = join(dir, fileName);
      const content = readFileSync(path);
      if (content.length < PRECOMPRESS_MIN_BYTES) continue;
      const brotliParams = {
        [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
        [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
        [zlib.BROTLI_PARAM_SIZE_HINT]: content.length,
      };
      writeFileSync(`${path}.br`, brotliCompressSync(content, { params: brotliParams }));
      writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
    }
  },
});

/**
 * Size budgets (gzip): the build fails above them. `npm run size` prints the figures.
 * `beforeInteraction`: the entry and the chunks it loads before the visitor does anything, together;
 * `language`: each language chunk; `embedScript`: each of the iframe embed's two scripts.
 */
export const BUDGETS = { beforeInteraction: 15 * 1024, language: 3 * 1024, embedScript: 1024 };
/** The iframe embed's two scripts in dist/widget, each built on its own: the embed page's and the resizer. */
export const EMBED_SCRIPTS = ['embed-frame', 'embed-resizer'];
export const isEmbedScript = (fileName) => EMBED_SCRIPTS.some((name) => fileName === `${name}.js`);
export const isLanguageChunk = (chunk) => chunk.facadeModuleId?.includes('/widget/generated/locales/') ?? false;
/**
 * The chunks the entry loads before any interaction, by name: none today. The live count's feed
 * is in the core: as a chunk of its own, fetched right after the first render, it cost a request
 * and 300 bytes gzip more. (The form's chunks wait for its first focus, the walls for their
 * variant, a language for a page in it.)
 */
const LOADED_BEFORE_INTERACTION = [];
/** Whether a file in dist/widget loads before any interaction: the entry, or one of those chunks. */
export const loadsBeforeInteraction = (fileName) =>
  fileName === 'cohesion-declaration.js' ||
  LOADED_BEFORE_INTERACTION.some((name) => new RegExp(`^chunks/${name}-[\\w-]{8}\\.js$`).test(fileName));
const budget = () => ({
  name: 'budget',
  generateBundle(_, bundle) {
    const chunks = Object.values(bundle).filter((chunk) => chunk.type === 'chunk');
    const gzip = (chunk) => gzipSync(chunk.code, { level: 9 }).length;
    for (const chunk of chunks.filter(isLanguageChunk)) {
      const size = gzip(chunk);
      if (size > BUDGETS.language) this.error(`${chunk.fileName} is ${size} bytes gzip, over its budget of ${BUDGETS.language}.`);
    }
    const early = chunks.filter((chunk) => loadsBeforeInteraction(chunk.fileName));
    // The entry and each of LOADED_BEFORE_INTERACTION, or a rename would drop a chunk from the sum.
    if (early.length !== 1 + LOADED_BEFORE_INTERACTION.length) {
      this.error(
        `Loaded before interaction: ${early.map((chunk) => chunk.fileName)}; expected the entry and ${LOADED_BEFORE_INTERACTION}.`,
      );
    }
    const size = early.reduce((sum, chunk) => sum + gzip(chunk), 0);
    if (size > BUDGETS.beforeInteraction) {
      const files = early.map((chunk) => chunk.fileName).join(' + ');
      this.error(`${files}: ${size} bytes gzip before any interaction, over the budget of ${BUDGETS.beforeInteraction}.`);
    }
  },
});

/** Warnings about third-party code we do not change (zod's annotations and import cycles). */
const onwarn = (warning, warn) => {
  const inDependency = [warning.id, ...(warning.ids ?? [])].some((id) => id?.includes('/node_modules/'));
  if (inDependency && ['INVALID_ANNOTATION', 'CIRCULAR_DEPENDENCY'].includes(warning.code)) return;
  warn(warning);
};

// Type errors fail the build.
const ts = (include) => typescript({ tsconfig: './tsconfig.json', include, noEmitOnError: true, compilerOptions: { sourceMap: false } });

export default [
  {
    // The widget: one entry script; each language is a chunk loaded when first needed.
    input: 'widget/cohesion-declaration.ts',
    onwarn,
    // Chunks import from the entry itself, so the entry is the whole core and import.meta.url is its URL.
    preserveEntrySignatures: 'allow-extension',
    output: {
      dir: 'dist/widget',
      format: 'es',
      entryFileNames: '[name].js',
      // Languages under stable names (a short loader map; cached briefly, like the entry);
      // everything else hashed and cached for good.
      chunkFileNames: (chunk) => (isLanguageChunk(chunk) ? 'locales/[name].js' : 'chunks/[name]-[hash].js'),
    },
    plugins: [
      clean('dist/widget'),
      nodeResolve({ browser: true }),
      ts(['contract/**/*.ts', 'widget/**/*.ts']),
      // The whitespace and comments in html`` and css`` templates.
      minifyHTML(),
      terser({
        ecma: 2022,
        module: true,
        compress: { passes: 2 },
        format: { comments: false },
      }),
      budget(),
      precompress('dist/widget'),
    ],
  },
  // The iframe embed's two small scripts, beside the widget: the embed page's own (embed-frame.js)
  // and the resizer a partner's page may run (embed-resizer.js). Classic scripts, each in one file.
  ...EMBED_SCRIPTS.map((name) => ({
    input: `widget/${name}.ts`,
    output: { file: `dist/widget/${name}.js`, format: 'iife' },
    plugins: [
      ts(['contract/**/*.ts', 'widget/**/*.ts']),
      terser({ ecma: 2022, format: { comments: false } }),
      {
        name: 'budget',
        generateBundle(_, bundle) {
          const size = gzipSync(bundle[`${name}.js`].code, { level: 9 }).length;
          if (size > BUDGETS.embedScript) this.error(`${name}.js is ${size} bytes gzip, over its budget of ${BUDGETS.embedScript}.`);
        },
      },
    ],
  })),
  {
    // The organiser dashboard (dashboard/, served at /admin) and the embed-code builder
    // (embed-builder/, at /builder, with its own copy of the widget for the preview): their
    // scripts, with Lit as a shared chunk, and their pages.
    input: { 'organiser-dashboard': 'dashboard/organiser-dashboard.ts', 'embed-builder': 'embed-builder/embed-builder.ts' },
    onwarn,
    output: { dir: 'dist/tools', format: 'es', chunkFileNames: 'chunks/[name]-[hash].js' },
    plugins: [
      clean('dist/tools'),
      copyPages({ 'admin.html': 'dashboard/index.html', 'builder.html': 'embed-builder/index.html' }),
      nodeResolve({ browser: true }),
      ts(['contract/**/*.ts', 'widget/**/*.ts', 'dashboard/**/*.ts', 'embed-builder/**/*.ts']),
      minifyHTML(),
      terser({ ecma: 2022, module: true, format: { comments: false } }),
      precompress('dist/tools'),
    ],
  },
  {
    // The server: our code in one file; its npm dependencies stay outside.
    input: 'server/main.ts',
    output: { file: 'dist/server/main.js', format: 'es' },
    external: (id) => serverExternals.some((name) => id === name || id.startsWith(`${name}/`) || id.startsWith('node:')),
    plugins: [ts(['server/**/*.ts', 'contract/**/*.ts'])],
  },
];
