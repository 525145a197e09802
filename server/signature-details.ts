/**
 * What a signer entered and chose, worded in their language: what their mail and the
 * confirmation page show before the link and the button, so that they see what they confirm.
 */
import type { MessageKey, Messages } from './messages.js';
import type { SignatureDetails } from './store/signature-store.js';

/** One line of the details: a field's label and its value, or a sentence of its own (the choices). */
export interface DetailLine {
  label?: string;
  text: string;
  /** Typed by whoever signed (name, organisation, role): to be shown as data, never as our words. */
  typed?: boolean;
}

const SIGNER_TYPES: Record<string, MessageKey> = {
  individual: 'details.signer_type.individual',
  organisation: 'details.signer_type.organisation',
  representative: 'details.signer_type.representative',
};

/** Country names by language, from the ICU data Node carries; made once per language. */
const regionNames = new Map<string, Intl.DisplayNames>();

function countryName(code: string, m: Messages): string {
  if (code === 'other') return m.text('details.country.other');
  let names = regionNames.get(m.lang);
  if (!names) regionNames.set(m.lang, (names = new Intl.DisplayNames([m.lang], { type: 'region', fallback: 'code' })));
  return names.of(code) ?? code;
}

export function detailLines(details: SignatureDetails, m: Messages): DetailLine[] {
  const signerType = SIGNER_TYPES[details.signerType];
  const country = countryName(details.country, m);
  return [
    { label: m.text('details.signer_type'), text: signerType ? m.text(signerType) : details.signerType },
    { label: m.text('details.name'), text: details.name, typed: true },
    ...(details.organisation === null ? [] : [{ label: m.text('details.organisation'), text: details.organisation, typed: true }]),
    ...(details.role === null ? [] : [{ label: m.text('details.role'), text: details.role, typed: true }]),
    { label: m.text('details.country'), text: country },
    { text: m.text(details.listPublicly ? 'details.listed' : 'details.unlisted') },
    { text: m.text(details.newsletter ? 'details.newsletter' : 'details.no_newsletter') },
  ];
}
