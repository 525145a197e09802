/**
 * A lazily loaded part of the widget (the thank-you and share step, the supporters wall) brings
 * its own styles and adds them to the element's shadow root when it first shows, so the core
 * carries only the styles of what every visitor sees. Constructable stylesheets, like Lit's own
 * styles: a strict CSP on the host page does not block them. Adding twice adds once.
 */
import type { CSSResult } from 'lit';

export function adoptStyles(root: ShadowRoot, styles: CSSResult) {
  const sheet = styles.styleSheet;
  if (sheet && !root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}
