/**
 * The dashboard's breakdowns (by country, partner, signer type, organisation kind): tables,
 * because people read these, each row with its share drawn as a bar under its name, so the big
 * ones stand out at a glance, and the count with its percentage in one narrow column, so that a
 * table fits a phone. The bar is SVG with a width attribute (no style attribute,
 * nothing for a strict CSP to refuse) and hidden from screen readers, which get the percentage.
 *
 * Also the words for the codes the API counts by, in English, checked against the shared code
 * lists so a new code cannot be forgotten here.
 */
import { html, nothing, svg } from 'lit';
import type { OrganisationKind, SignerType } from '../contract/signature-codes.js';

export interface BreakdownRow {
  label: string;
  /** A second line in the label cell, e.g. a partner's id. */
  note?: string;
  count: number;
}

export const SIGNER_TYPE_LABELS: Record<SignerType, string> = {
  individual: 'Individuals',
  organisation: 'On behalf of an organisation',
  representative: 'Elected representatives',
};

export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
  'national-authority': 'National authority',
  'regional-authority': 'Regional authority',
  'local-authority': 'Local authority',
  business: 'Business or SME',
  ngo: 'Non-governmental organisation',
  school: 'School',
  university: 'University',
  cultural: 'Cultural organisation',
  other: 'Other',
};

/** A label for a code, or the code itself when it is one this page does not know yet. */
export const labelFor = (labels: Record<string, string>, key: string) => (Object.hasOwn(labels, key) ? labels[key]! : key);

/** Country names in the page's language, from ISO 3166-1 codes; `other` is outside the EU. */
export function countryName(code: string, locale: string): string {
  if (code === 'other') return 'Outside the EU';
  try {
    return new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function renderBreakdown(options: {
  caption: string;
  labelHeader: string;
  rows: readonly BreakdownRow[];
  locale: string;
  empty?: string;
}) {
  const { caption, labelHeader, rows, locale } = options;
  const total = rows.reduce((sum, row) => sum + row.count, 0);
  const number = new Intl.NumberFormat(locale);
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  if (!rows.length) return html`<p>${options.empty ?? 'Nothing to show yet.'}</p>`;
  return html`<table>
    <caption>${caption}</caption>
    <thead>
      <tr>
        <th scope="col">${labelHeader}</th>
        <th scope="col" class="number">Signatures</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map((row) => {
        const share = total ? row.count / total : 0;
        return html`<tr>
          <th scope="row">
            ${row.label}${row.note ? html`<span class="code note"> ${row.note}</span>` : nothing}
            <svg class="share-bar" aria-hidden="true" focusable="false">
              ${svg`<rect class="track" width="100%" height="100%" rx="3"></rect><rect width="${(share * 100).toFixed(2)}%" height="100%" rx="3"></rect>`}
            </svg>
          </th>
          <td class="number">
            <span class="n">${number.format(row.count)}</span><span class="code note"><span class="visually-hidden">, </span>${percent.format(share)}</span>
          </td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}
