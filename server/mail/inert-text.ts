/**
 * Text that whoever signed typed (a name, an organisation, a role), made inert for a plain-text
 * mail. Mail clients turn what looks like a web or mail address into a link, so each piece of
 * one is broken the way security notices "defang" addresses: `https[:]//evil[.]example`,
 * `admin[@]evil[.]example`. Bidirectional controls, which would reorder the line, go. (Such
 * text cannot be signed any more, but may be stored from before.) A mail shows the text in
 * quotes, after a label: as data, never as our words; see signer-mail.ts.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/gu;
/** A scheme's `://`. */
const SCHEME_SEPARATOR = /:(?=\/\/)/gu;
/** A dot (or an ideographic or full-width one, which browsers read as a dot) before a letter or digit, invisible characters between them or not. */
const HOST_DOT = /[.\u3002\uFF0E\uFF61](?=\p{Cf}*[\p{L}\p{N}])/gu;
/** An `@` between two characters that are not spaces. */
const ADDRESS_AT = /(?<=\S)@(?=\S)/gu;

export function inertText(text: string): string {
  return text.replace(BIDI_CONTROLS, '').replace(SCHEME_SEPARATOR, '[:]').replace(HOST_DOT, '[.]').replace(ADDRESS_AT, '[@]');
}
