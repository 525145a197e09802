/**
 * The script a partner page loads. It defines `<cohesion-declaration>` (unless a copy of this
 * script already did) and points the element at the server the script came from, so the script
 * tag alone is all a partner needs. Bundled from npm, the element needs its `api`.
 */
// First, before Lit loads.
import { litPolicyRefused } from './trusted-types.js';
import { CohesionDeclaration } from './cohesion-declaration/cohesion-declaration.component.js';
import { getLocale, resolveLocale, setLocale } from './localization.js';

const TAG = 'cohesion-declaration';
const define = () => customElements.get(TAG) || customElements.define(TAG, CohesionDeclaration);

if (litPolicyRefused() && !customElements.get(TAG)) {
  // The element could not render: it stays undefined, and says why.
  console.error("<cohesion-declaration>: allow the Trusted Types policy `lit-html` in this page's CSP.");
  for (const element of document.querySelectorAll(TAG)) {
    element.dispatchEvent(new CustomEvent('cohesion-error', { detail: { kind: 'csp' }, bubbles: true, composed: true }));
  }
} else if (!customElements.get(TAG)) {
  // The server's own copy knows its server. A copy someone bundled into their own script does
  // not, and does not guess: without `api`, its elements report a `config` error.
  if (import.meta.url.endsWith('/widget/cohesion-declaration.js')) CohesionDeclaration.defaultApi = new URL('../', import.meta.url).href;
  // Elements already on the page upgrade in its language, not first in English and then again
  // in theirs, which would move the page: in another language, once its chunk is here (or has
  // failed to come). Until then the page's `:not(:defined)` rule keeps their place.
  const locale = resolveLocale(document.querySelector<HTMLElement>(TAG) ?? document.documentElement);
  if (locale === getLocale()) define();
  else setLocale(locale).then(define, define);
}

export { CohesionDeclaration };
export type {
  CohesionDeclarationAttributes,
  CohesionSignedDetail,
  CohesionErrorDetail,
  CohesionCountDetail,
  CohesionEventMap,
} from './cohesion-declaration/cohesion-declaration.component.js';
