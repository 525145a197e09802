/**
 * `<cohesion-declaration>` in React 19's JSX: `import type {} from 'cohesion-declaration/react';`
 * once in the project. React 19 sets the element's properties and listens to its events
 * (`oncohesion-signed`, `oncohesion-error`, `oncohesion-count`).
 */
import type { CohesionDeclarationAttributes, CohesionDeclaration } from './cohesion-declaration.js';
import type { DetailedHTMLProps, HTMLAttributes } from 'react';

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'cohesion-declaration': DetailedHTMLProps<HTMLAttributes<CohesionDeclaration>, CohesionDeclaration> & CohesionDeclarationAttributes;
    }
  }
}
