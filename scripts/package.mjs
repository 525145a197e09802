/**
 * The npm package, in dist/package (`npm publish dist/package`): the widget as built, and
 * nothing of the server, so `npm install cohesion-declaration` installs this package alone.
 * Its types are one file with Lit's inlined (Lit is bundled, not a dependency), beside the
 * types for React, Preact and Vue (widget/package/), and its custom-elements.json names the
 * shipped file. Run by `npm run build` after rollup, tsc and the manifest.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';
import { isEmbedScript } from '../rollup.config.mjs';

const OUT = 'dist/package';
const ENTRY = 'cohesion-declaration.js';
const FRAMEWORKS = ['react', 'preact', 'vue'];

rmSync(OUT, { recursive: true, force: true });
// The widget's script, chunks and languages; not the server's compressed copies, nor the
// iframe embed's scripts, which only the server's pages use.
cpSync('dist/widget', OUT, { recursive: true, filter: (path) => !/\.(?:br|gz)$/.test(path) && !isEmbedScript(basename(path)) });

const types = await rollup({
  input: 'dist/types/widget/cohesion-declaration.d.ts',
  plugins: [dts({ respectExternal: true, compilerOptions: { types: [] } })],
});
await types.write({ file: `${OUT}/cohesion-declaration.d.ts`, format: 'es' });
for (const name of FRAMEWORKS) cpSync(`widget/package/${name}.d.ts`, `${OUT}/${name}.d.ts`);
cpSync('widget/package/README.md', `${OUT}/README.md`);
cpSync('LICENSE', `${OUT}/LICENSE`);

// The manifest, as one module: the file the package ships.
const manifest = JSON.parse(readFileSync('dist/custom-elements.json', 'utf8'));
const element = manifest.modules.flatMap((module) => module.declarations ?? []).find((declaration) => declaration.customElement);
const declaration = { name: element.name, module: ENTRY };
writeFileSync(
  `${OUT}/custom-elements.json`,
  JSON.stringify(
    {
      schemaVersion: manifest.schemaVersion,
      readme: 'README.md',
      modules: [
        {
          kind: 'javascript-module',
          path: ENTRY,
          declarations: [element],
          exports: [
            { kind: 'js', name: element.name, declaration },
            { kind: 'custom-element-definition', name: element.tagName, declaration },
          ],
        },
      ],
    },
    null,
    2,
  ),
);

const { version, license, engines } = JSON.parse(readFileSync('package.json', 'utf8'));
const typesOnly = Object.fromEntries(FRAMEWORKS.map((name) => [`./${name}`, { types: `./${name}.d.ts` }]));
writeFileSync(
  `${OUT}/package.json`,
  JSON.stringify(
    {
      name: 'cohesion-declaration',
      version,
      description:
        'The #CohesionAlliance Declaration of Principles, to read and sign on any page: a custom element with Lit inside and no dependencies.',
      license,
      type: 'module',
      main: ENTRY,
      module: ENTRY,
      types: 'cohesion-declaration.d.ts',
      exports: {
        '.': { types: './cohesion-declaration.d.ts', default: `./${ENTRY}` },
        ...typesOnly,
        './custom-elements.json': './custom-elements.json',
        './package.json': './package.json',
      },
      customElements: 'custom-elements.json',
      // Importing it defines the element.
      sideEffects: [`./${ENTRY}`],
      keywords: ['web-component', 'custom-element', 'lit', 'petition', 'cohesion-policy', 'european-union'],
      engines: { node: engines.node },
    },
    null,
    2,
  ) + '\n',
);
