/**
 * The script a partner page loads. It defines `<cohesion-declaration>` (unless a copy of this
 * script already did) and points the element at the server the script came from, so the script
 * tag alone is all a partner needs.
 */
import { CohesionDeclaration } from './cohesion-declaration.component.js';

// The class is fully decorated before it is defined, so elements already on the page upgrade
// with their localisation in place.
if (!customElements.get('cohesion-declaration')) {
  CohesionDeclaration.defaultApi = new URL('../', import.meta.url).href;
  customElements.define('cohesion-declaration', CohesionDeclaration);
}

export { CohesionDeclaration };
export type {
  CohesionSignedDetail,
  CohesionErrorDetail,
  CohesionCountDetail,
  CohesionEventMap,
} from './cohesion-declaration.component.js';
