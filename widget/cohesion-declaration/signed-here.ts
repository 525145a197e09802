/**
 * Whether this tab has signed: the signing notes it, the walls read it to ask past the minute
 * that caches may keep them, so a signer sees their own entry. In sessionStorage, where the page
 * lets us keep anything (a sandboxed frame or privacy settings may not): then the wall may show
 * the signer a minute late.
 */
const KEY = 'cohesion-declaration-signed';

export function noteSignedHere(): void {
  try {
    sessionStorage.setItem(KEY, String(Date.now()));
  } catch {
    // Storage refused: see above.
  }
}

export function signedHere(): boolean {
  try {
    return sessionStorage.getItem(KEY) !== null;
  } catch {
    return false;
  }
}
