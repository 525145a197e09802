/**
 * `<cohesion-declaration>` in Preact's JSX: `import type {} from 'cohesion-declaration/preact';`
 * once in the project. Preact listens to the element's events as `oncohesion-signed`,
 * `oncohesion-error` and `oncohesion-count`.
 */
import type { CohesionDeclarationAttributes, CohesionDeclaration } from './cohesion-declaration.js';
import type { JSX as PreactJSX } from 'preact';

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
      'cohesion-declaration': PreactJSX.HTMLAttributes<CohesionDeclaration> & CohesionDeclarationAttributes;
    }
  }
}
