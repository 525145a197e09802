/**
 * The page that frames this one, as far as the browser tells it: for the iframe embed, whose
 * signatures count for the partner's page that frames it (see server/routes/signatures.ts).
 * The referrer, where it is the parent's (the parent's origin from `ancestorOrigins`, where the
 * browser has them, says so); else the parent's origin alone. Undefined where the page is not
 * framed or the browser tells nothing.
 */
export function embeddingPage(): URL | undefined {
  if (window.parent === window) return undefined;
  const ancestor = location.ancestorOrigins?.[0];
  const referrer = parse(document.referrer);
  if (referrer && (!ancestor || referrer.origin === ancestor)) return referrer;
  return parse(ancestor);
}

/** An http(s) address, or undefined (none, `null` for an opaque origin, a file). */
function parse(address: string | undefined): URL | undefined {
  try {
    const url = new URL(address!);
    return /^https?:$/.test(url.protocol) ? url : undefined;
  } catch {
    return undefined;
  }
}
