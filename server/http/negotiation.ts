/**
 * Content negotiation: what a client asks for in Accept-Language and Accept-Encoding, with its
 * weights; and whether it has the answer already (If-None-Match).
 */

/** The entries of a weighted list (`br;q=1.0, gzip;q=0.5, *;q=0`), with their q (1 when absent, 0 when unreadable). */
export function weighted(header: string | undefined): { value: string; q: number }[] {
  if (!header) return [];
  return header.split(',').flatMap((part) => {
    const [value = '', ...params] = part.split(';').map((piece) => piece.trim());
    if (!value) return [];
    // Parameter names are case-insensitive (RFC 9110 §5.6.6).
    const weight = params.find((param) => /^q=/i.test(param));
    const q = weight === undefined ? 1 : Number(weight.slice(2));
    return [{ value, q: Number.isFinite(q) ? q : 0 }];
  });
}

/** The languages of an Accept-Language header, most wanted first. */
export function acceptedLanguages(header: string | undefined): string[] {
  return weighted(header)
    .filter(({ value, q }) => value !== '*' && q > 0)
    .sort((a, b) => b.q - a.q)
    .map(({ value }) => value);
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): `W/` is ignored, `*` matches. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}
