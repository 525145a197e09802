/**
 * The docs say what the code does: the element's tables come from the manifest the build writes,
 * the configuration table names every variable the server reads, and links between the docs
 * lead somewhere. Run after `npm run build` (npm test builds first): the manifest is its output.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { reservationCss } from '../../embed-builder/reservation.js';
import { findRepoRoot } from '../../server/repo-root.js';
import { tempFolder } from './support/fixtures.js';

const root = findRepoRoot(import.meta.url);
const EMBEDDING = join(root, 'docs', 'embedding.md');
const MANIFEST = join(root, 'dist', 'custom-elements.json');

/** Runs scripts/docs-tables.mjs; its exit code and output, whether it failed or not. */
function docsTables(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'scripts', 'docs-tables.mjs'), ...args], { cwd: root }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The doc with its generated tables taken out: what the generator must leave alone. */
const withoutTables = (doc: string) => doc.replace(/(<!-- generated:[a-z-]+ -->)[\s\S]*?(<!-- \/generated -->)/g, '$1$2');

describe('docs/embedding.md', () => {
  const folder = tempFolder('cohesion-docs-');
  after(() => folder.remove());

  it('has the attributes, events, parts and custom properties of the manifest the build wrote', async () => {
    const { code, stderr } = await docsTables('--check');
    assert.equal(code, 0, stderr);
  });

  it('is found out of date when the manifest changes, and `npm run docs` brings it up to date', async () => {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    const element = manifest.modules
      .flatMap((module: { declarations?: unknown[] }) => module.declarations ?? [])
      .find((declaration: { tagName?: string }) => declaration.tagName === 'cohesion-declaration');
    element.cssParts[0].description = 'A description the doc has never seen.';
    const changedManifest = join(folder.path, 'custom-elements.json');
    writeFileSync(changedManifest, JSON.stringify(manifest));
    const doc = join(folder.path, 'embedding.md');
    writeFileSync(doc, readFileSync(EMBEDDING, 'utf8'));

    const stale = await docsTables('--check', '--doc', doc, '--manifest', changedManifest);
    assert.equal(stale.code, 1);
    assert.match(stale.stderr, /out of date .*\(parts\)/);

    const rewrite = await docsTables('--doc', doc, '--manifest', changedManifest);
    assert.equal(rewrite.code, 0, rewrite.stderr);
    const rewritten = readFileSync(doc, 'utf8');
    assert.match(rewritten, /\| `header` \| A description the doc has never seen\. \|/);
    assert.equal(withoutTables(rewritten), withoutTables(readFileSync(EMBEDDING, 'utf8')), 'text outside the tables changed');
    assert.equal((await docsTables('--check', '--doc', doc, '--manifest', changedManifest)).code, 0);
  });

  it('refuses a doc that lacks one of the tables', async () => {
    const doc = join(folder.path, 'no-parts.md');
    writeFileSync(doc, readFileSync(EMBEDDING, 'utf8').replace(/<!-- generated:parts -->[\s\S]*?<!-- \/generated -->/, ''));
    const { code, stderr } = await docsTables('--check', '--doc', doc);
    assert.equal(code, 1);
    assert.match(stderr, /no markers for: parts/);
  });
});

describe('docs/operations.md', () => {
  it('has every environment variable that server/config.ts reads in its configuration table', () => {
    const config = readFileSync(join(root, 'server', 'config.ts'), 'utf8');
    // The keys of the settings schema: `  NAME: …` at the start of a line.
    const variables = [...config.matchAll(/^ {2}([A-Z][A-Z0-9_]+): /gm)].map((match) => match[1]!);
    assert.ok(variables.includes('PORT') && variables.includes('DATABASE_URL'), `found only ${variables.join(', ')}`);
    const table = readFileSync(join(root, 'docs', 'operations.md'), 'utf8');
    const missing = variables.filter((name) => !table.includes(`| \`${name}\` |`));
    assert.deepEqual(missing, []);
  });

  it('says next to DOUBLE_OPT_IN that with it off the public count tells whether an address had signed', () => {
    // The behaviour itself: signatures-api.test.ts, "counts it once" with DOUBLE_OPT_IN off.
    const table = readFileSync(join(root, 'docs', 'operations.md'), 'utf8');
    const row = table.split('\n').find((line) => line.startsWith('| `DOUBLE_OPT_IN` |'));
    assert.match(row ?? '', /With `off`, the public count itself tells whether an address had signed before/);
  });
});

describe("the documentation's links", () => {
  const inDocs = readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md'));
  const docs = ['README.md', 'CONTRIBUTING.md', 'ARCHITECTURE.md', ...inDocs.map((name) => `docs/${name}`)];
  const withoutCode = (text: string) => text.replace(/^```[\s\S]*?^```/gm, '');

  /** The anchors GitHub gives a Markdown file's headings. */
  function anchors(file: string): Set<string> {
    const seen = new Map<string, number>();
    const result = new Set<string>();
    for (const [, heading] of withoutCode(readFileSync(file, 'utf8')).matchAll(/^#{1,6} (.+)$/gm)) {
      const slug = heading!
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
        .replace(/ /g, '-');
      const times = seen.get(slug) ?? 0;
      seen.set(slug, times + 1);
      result.add(times ? `${slug}-${times}` : slug);
    }
    return result;
  }

  it('lead to files and headings that exist', () => {
    const broken: string[] = [];
    for (const doc of docs) {
      const path = join(root, doc);
      for (const [, target] of withoutCode(readFileSync(path, 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target!)) continue;
        const [file = '', anchor] = target!.split('#');
        const linked = file ? join(dirname(path), file) : path;
        if (!existsSync(linked)) broken.push(`${doc}: ${target} (no such file)`);
        else if (anchor && linked.endsWith('.md') && !anchors(linked).has(anchor)) {
          broken.push(`${doc}: ${target} (no heading #${anchor} in ${relative(root, linked)})`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });
});

describe('README', () => {
  it("reserves each variant's place with the lines the builder writes into its snippets", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const variant of ['full', 'compact', 'counter']) assert.ok(readme.includes(reservationCss(variant)), variant);
  });
});
