import { builtinModules } from 'node:module';
import { readFileSync, rmSync } from 'node:fs';
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const { dependencies } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const serverExternals = [...builtinModules, ...Object.keys(dependencies)];

/** Empties an output folder first, so no stale chunk is served. */
const clean = (dir) => ({ name: 'clean', buildStart: () => rmSync(dir, { recursive: true, force: true }) });

// Type errors fail the build.
const ts = (include) =>
  typescript({ tsconfig: './tsconfig.json', include, noEmitOnError: true, compilerOptions: { sourceMap: false } });

export default [
  {
    // The widget: one entry script; each language is a chunk loaded when first needed.
    input: 'widget/cohesion-declaration.ts',
    // Chunks import from the entry itself, so the entry is the whole core and import.meta.url is its URL.
    preserveEntrySignatures: 'allow-extension',
    output: {
      dir: 'dist/widget',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
    },
    plugins: [
      clean('dist/widget'),
      nodeResolve({ browser: true }),
      ts(['widget/**/*.ts']),
      terser({ ecma: 2022, module: true, format: { comments: false } }),
    ],
  },
  {
    // The server: our code in one file; its npm dependencies stay outside.
    input: 'server/main.ts',
    output: { file: 'dist/server/main.js', format: 'es' },
    external: (id) => serverExternals.some((name) => id === name || id.startsWith(`${name}/`) || id.startsWith('node:')),
    plugins: [ts(['server/**/*.ts', 'widget/signature.ts'])],
  },
];
