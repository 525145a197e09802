// ESLint: typescript-eslint for all code; eslint-plugin-lit and eslint-plugin-wc for the browser code.
import js from '@eslint/js';
import globals from 'globals';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import tseslint from 'typescript-eslint';

const browserCode = ['widget/**/*.ts', 'dashboard/**/*.ts', 'embed-builder/**/*.ts', 'test/browser/**/*.ts'];

export default tseslint.config(
  { ignores: ['dist/', 'widget/generated/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Unused names fail the type-check already (noUnusedLocals); `_name` marks one left out on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: browserCode,
    ...lit.configs['flat/recommended'],
    ...wc.configs['flat/best-practice'],
    plugins: { lit, wc },
    languageOptions: { globals: { ...globals.browser, ...globals.mocha } },
    rules: { ...lit.configs['flat/recommended'].rules, ...wc.configs['flat/best-practice'].rules },
  },
  {
    files: ['test/**/*.ts'],
    languageOptions: { globals: { ...globals.mocha } },
    rules: {
      // Chai's `expect(x).to.be.null` is an expression statement.
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
);
