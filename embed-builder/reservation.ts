/**
 * The CSS that keeps a partner page still while the widget's script loads: the place each
 * variant takes in its first frame, reserved for the element until it is defined. Written once,
 * here: the builder puts the line into each snippet, and the README shows the same lines (a test
 * holds them together; the layout-shift test measures the README's).
 */

/**
 * The block size of each variant's first frame, in units of --cohesion-font-size, with a `partner`
 * attribute. The walls reserve their counter alone: the campaign's name and the link to sign are
 * the `counter` variant's own.
 */
const RESERVED: Readonly<Record<string, number>> = { full: 64, compact: 17.65, counter: 17.15, walls: 10.7 };
/** What the partner's own line under the counter takes; without `partner` it is not there. */
const PARTNER_LINE = 1.35;

/**
 * The line for `variant` (the walls grow with their content: their counter is reserved). Sized as
 * the element sizes itself: by default from `medium`, the visitor's font-size setting, whatever
 * the page's own sizes.
 */
export function reservationCss(variant: string, withPartner = true): string {
  const height = RESERVED[variant] ?? RESERVED.walls!;
  const selector = variant === 'full' ? 'cohesion-declaration' : `cohesion-declaration[variant=${variant}]`;
  const units = Math.round((height - (withPartner ? 0 : PARTNER_LINE)) * 100) / 100;
  return `${selector}:not(:defined) { display: block; font-size: medium; min-block-size: calc(${units} * var(--cohesion-font-size, 1em)); }`;
}
