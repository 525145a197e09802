/**
 * The npm package (dist/package, written by `npm run build`), as a developer gets it: packed,
 * installed from the tarball into a project of its own, alone (it depends on nothing), then
 * with TypeScript's view of React 19, Preact and Vue beside it (from the registry), where a TS
 * file and TSX files that use the element, its properties and its events must type-check, and
 * misuses must not.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { findRepoRoot } from '../../server/repo-root.js';

const run = promisify(execFile);
const root = findRepoRoot(import.meta.url);
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const npm = (cwd: string, ...args: string[]) => run('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], { cwd });

const FILES: Record<string, string> = {
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      lib: ['ES2023', 'DOM'],
      jsx: 'react-jsx',
      strict: true,
      noEmit: true,
      // Our declarations are checked too, not only used.
      skipLibCheck: false,
      types: [],
    },
    include: ['*.ts', '*.tsx'],
  }),
  'page.ts': `
import { CohesionDeclaration, type CohesionSignedDetail, type CohesionErrorDetail } from 'cohesion-declaration';

const element = document.createElement('cohesion-declaration');
const typed: CohesionDeclaration = element;
typed.api = 'https://sign.example.eu';
typed.partner = 'plovdiv';
typed.variant = 'counter';
// @ts-expect-error: not a variant
typed.variant = 'huge';
element.addEventListener('cohesion-signed', (event) => {
  const status: CohesionSignedDetail['status'] = event.detail.status;
  return status;
});
document.addEventListener('cohesion-error', (event) => {
  const kind: CohesionErrorDetail['kind'] = event.detail.kind;
  return kind;
});
window.addEventListener('cohesion-count', (event) => event.detail.count.toFixed() + (event.detail.partnerCount ?? 0));
// @ts-expect-error: the count has no such field
document.addEventListener('cohesion-count', (event) => event.detail.total);
`,
  'react.tsx': `
import type {} from 'cohesion-declaration/react';

export const Page = () => (
  <cohesion-declaration
    api="https://sign.example.eu"
    partner="plovdiv"
    variant="compact"
    color-scheme="dark"
    oncohesion-signed={(event) => console.log(event.detail.status)}
  />
);
// @ts-expect-error: not a variant
export const Wrong = () => <cohesion-declaration variant="huge" />;
`,
  'preact.tsx': `/** @jsxImportSource preact */
import type {} from 'cohesion-declaration/preact';

export const Page = () => <cohesion-declaration partner="plovdiv" oncohesion-count={(event) => event.detail.count} />;
// @ts-expect-error: not a colour scheme
export const Wrong = () => <cohesion-declaration color-scheme="sepia" />;
`,
  'vue.ts': `
import type { GlobalComponents } from 'vue';
import type {} from 'cohesion-declaration/vue';

type Element = GlobalComponents['cohesion-declaration'];
// Declared, not any: an unknown component name would not index GlobalComponents.
export const declared: Element extends object ? true : false = true;
// @ts-expect-error: not declared
export type Unknown = GlobalComponents['cohesion-declarations'];
`,
};

describe('the npm package', () => {
  let folder: string;
  let tarball: string;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'cohesion-package-'));
    const { stdout } = await npm(root, 'pack', join(root, 'dist', 'package'), '--pack-destination', folder, '--json');
    const [packed] = JSON.parse(stdout) as { filename: string; size: number; unpackedSize: number; entryCount: number }[];
    tarball = join(folder, packed!.filename);
    console.log(`# the package: ${packed!.size} bytes packed, ${packed!.unpackedSize} unpacked, ${packed!.entryCount} files`);
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('installs itself and nothing else, with no script to run', async () => {
    const project = join(folder, 'alone');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{"private": true}');
    await npm(project, 'install', tarball);
    const installed = readdirSync(join(project, 'node_modules')).filter((name) => !name.startsWith('.'));
    assert.deepEqual(installed, ['cohesion-declaration']);
  });

  it('types the element, its properties and events in TS, and in React, Preact and Vue', async () => {
    const project = join(folder, 'typed');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{"private": true, "type": "module"}');
    for (const [name, text] of Object.entries(FILES)) writeFileSync(join(project, name), text);
    await npm(project, 'install', tarball, '@types/react@19', 'preact@10', 'vue@3');
    const checked = await run(process.execPath, [tsc, '-p', project]).catch((error: { stdout: string }) => error);
    assert.equal('stdout' in checked ? checked.stdout : '', '', 'tsc reports no error');
  });
});
