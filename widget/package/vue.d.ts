/**
 * `<cohesion-declaration>` in Vue templates: `import type {} from 'cohesion-declaration/vue';`
 * once in the project, and tell Vue's compiler that the tag is a custom element
 * (`compilerOptions.isCustomElement: (tag) => tag === 'cohesion-declaration'`). Listen with
 * `@cohesion-signed`, `@cohesion-error` and `@cohesion-count`.
 */
import type { CohesionDeclarationAttributes } from './cohesion-declaration.js';
import type { DefineComponent } from 'vue';

declare module 'vue' {
  interface GlobalComponents {
    'cohesion-declaration': DefineComponent<CohesionDeclarationAttributes>;
  }
}
