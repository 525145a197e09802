/**
 * `npm run size`: the widget's core script and each chunk, and what loads before any interaction
 * (the core, with the live count's feed), as the server sends them: raw, and the .gz and .br the
 * build wrote beside them (the file itself where it wrote none: too small to pay); against the
 * budgets (gzip), next to a baseline built in the same run: Lit alone, a bare LitElement.
 */
import { existsSync, readdirSync, mkdtempSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { BUDGETS, isEmbedScript, loadsBeforeInteraction } from '../rollup.config.mjs';

const dist = 'dist/widget';
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const sizes = (code) => ({ raw: code.length, gzip: gzipSync(code, { level: 9 }).length, brotli: brotliCompressSync(code).length });
/** The bytes the server sends for `file`: its compressed copy where the build wrote one. */
const served = (file, suffix) => statSync(existsSync(`${file}${suffix}`) ? `${file}${suffix}` : file).size;
const servedSizes = (file) => ({ raw: statSync(file).size, gzip: served(file, '.gz'), brotli: served(file, '.br') });

async function litBaseline() {
  const folder = mkdtempSync(join(tmpdir(), 'size-'));
  const entry = join(folder, 'baseline.js');
  writeFileSync(
    entry,
    `import {LitElement, html, css} from 'lit';
    customElements.define('x-baseline', class extends LitElement {
      static styles = css\`:host{display:block}\`;
      static properties = {name: {}};
      render() { return html\`<p>Hello \${this.name}</p>\`; }
    });`,
  );
  const bundle = await rollup({
    input: entry,
    plugins: [
      nodeResolve({ browser: true, rootDir: process.cwd(), modulePaths: [join(process.cwd(), 'node_modules')] }),
      terser({ module: true, format: { comments: false } }),
    ],
  });
  const { output } = await bundle.generate({ format: 'es' });
  rmSync(folder, { recursive: true, force: true });
  return sizes(output[0].code);
}

const files = readdirSync(dist, { recursive: true })
  .filter((name) => String(name).endsWith('.js'))
  .map((name) => join(dist, String(name)))
  .sort();
const core = join(dist, 'cohesion-declaration.js');
const isLanguage = (file) => /locales\/[a-z]{2,3}\.js$/.test(file);

let over = false;
const rows = [];
const budgetCell = (size, limit) => {
  if (!limit) return '—';
  if (size.gzip > limit) over = true;
  return `${kb(limit)}${size.gzip > limit ? '  OVER' : ''}`;
};
const early = { raw: 0, gzip: 0, brotli: 0, files: [] };
for (const file of files) {
  const name = relative(dist, file);
  const size = servedSizes(file);
  const beforeInteraction = loadsBeforeInteraction(name);
  if (beforeInteraction) {
    early.raw += size.raw;
    early.gzip += size.gzip;
    early.brotli += size.brotli;
    early.files.push(name);
  }
  const label = beforeInteraction ? `${name}  (before interaction)` : name;
  rows.push([
    label,
    kb(size.raw),
    kb(size.gzip),
    kb(size.brotli),
    budgetCell(size, isLanguage(file) ? BUDGETS.language : isEmbedScript(name) ? BUDGETS.embedScript : undefined),
  ]);
}
rows.push([
  'before any interaction, together',
  kb(early.raw),
  kb(early.gzip),
  kb(early.brotli),
  budgetCell(early, BUDGETS.beforeInteraction),
]);
const baseline = await litBaseline();
rows.push(['(baseline: Lit alone, same build)', kb(baseline.raw), kb(baseline.gzip), kb(baseline.brotli), '—']);

const header = ['file', 'raw', 'gzip', 'brotli', 'budget (gzip)'];
const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i].length)));
for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '));
const languages = files.filter(isLanguage).map((file) => servedSizes(file).gzip);
const coreSize = servedSizes(core);
console.log(
  `\nAs served, in bytes: core ${coreSize.raw} raw, ${coreSize.gzip} gzip, ${coreSize.brotli} brotli; ` +
    `before any interaction (${early.files.join(' + ')}) ${early.raw} raw, ${early.gzip} gzip (budget ${BUDGETS.beforeInteraction}), ${early.brotli} brotli; ` +
    `${languages.length} language chunks, largest ${kb(Math.max(0, ...languages))} gzip`,
);
process.exit(over ? 1 : 0);
