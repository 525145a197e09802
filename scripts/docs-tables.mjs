/**
 * `npm run docs`: writes the tables of docs/embedding.md (attributes, events, CSS parts, CSS
 * custom properties) from the custom-elements manifest that `npm run build` makes from the
 * element's JSDoc. The JSDoc stays the one place a public name is described; the doc cannot
 * drift from it.
 *
 * Each table sits between `<!-- generated:NAME -->` and `<!-- /generated -->`; the text around
 * the markers is the doc's own and is left as it is.
 *
 *   node scripts/docs-tables.mjs            rewrite the tables
 *   node scripts/docs-tables.mjs --check    only say whether they are current (exit 1 if not)
 *   --doc PATH, --manifest PATH             another doc or manifest (the tests use these)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const TAG = 'cohesion-declaration';

const { values: options } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    doc: { type: 'string', default: 'docs/embedding.md' },
    manifest: { type: 'string', default: 'dist/custom-elements.json' },
  },
});

function fail(message) {
  console.error(`docs-tables: ${message}`);
  process.exit(1);
}

/** One line of a Markdown table cell: no line breaks, no bare `|`. */
const cell = (text = '') =>
  text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();

const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map((cells) => row(cells.map(cell)))].join('\n');

/**
 * An attribute's description, with the manifest's default (a JS literal such as `'full'`) when
 * the description does not give one in words. `''` is no default: the element works one out.
 */
function withDefault({ description = '', default: literal }) {
  if (literal === undefined || literal === "''" || /\bDefault\b/.test(description)) return description;
  return `${description} Default: \`${literal.replace(/^'(.*)'$/, '$1')}\`.`;
}

/** The tables, by the name their markers use. */
const TABLES = {
  attributes: (element) =>
    table(
      ['attribute', 'property', 'meaning'],
      (element.attributes ?? []).map((a) => [`\`${a.name}\``, `\`${a.fieldName ?? a.name}\``, withDefault(a)]),
    ),
  events: (element) =>
    table(
      ['event', 'when'],
      (element.events ?? []).map((e) => [`\`${e.name}\``, e.description]),
    ),
  parts: (element) =>
    table(
      ['part', 'what it is'],
      (element.cssParts ?? []).map((p) => [`\`${p.name}\``, p.description]),
    ),
  'css-properties': (element) =>
    table(
      ['custom property', 'what it sets'],
      (element.cssProperties ?? []).map((p) => [`\`${p.name}\``, p.description]),
    ),
};

if (!existsSync(options.manifest)) fail(`${options.manifest} is missing: run \`npm run build\` first, which writes it.`);
const manifest = JSON.parse(readFileSync(options.manifest, 'utf8'));
const element = manifest.modules
  .flatMap((module) => module.declarations ?? [])
  .find((declaration) => declaration.customElement && declaration.tagName === TAG);
if (!element) fail(`${options.manifest} describes no <${TAG}>.`);

const doc = readFileSync(options.doc, 'utf8');
const BLOCK = /(<!-- generated:([a-z-]+) -->\n)[\s\S]*?(<!-- \/generated -->)/g;
const seen = new Set();
const stale = [];
const updated = doc.replace(BLOCK, (block, start, name, end) => {
  if (!TABLES[name]) fail(`${options.doc} has a marker for "${name}", which is not one of: ${Object.keys(TABLES).join(', ')}.`);
  seen.add(name);
  const written = `${start}\n${TABLES[name](element)}\n\n${end}`;
  if (written !== block) stale.push(name);
  return written;
});
const missing = Object.keys(TABLES).filter((name) => !seen.has(name));
if (missing.length) fail(`${options.doc} has no markers for: ${missing.join(', ')}.`);

if (options.check) {
  if (stale.length) {
    fail(`${options.doc} is out of date with ${options.manifest} (${stale.join(', ')}): run \`npm run build && npm run docs\`.`);
  }
} else if (stale.length) {
  writeFileSync(options.doc, updated);
  console.log(`docs-tables: rewrote ${stale.join(', ')} in ${options.doc}.`);
}
