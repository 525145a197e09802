/**
 * The visitor's side of the proof of work that signing needs while the server's bot protection
 * is on (see server/protection/proof-of-work.ts). `startBotCheck` fetches a challenge and solves
 * it at once, in the background, so the work (a few hundred milliseconds of PBKDF2 on a
 * mid-range phone) is done while the visitor fills in the form. `solution()` gives the value
 * for the signature's `altcha` field: no sooner than the server takes it, and each one only once.
 *
 * `altcha` on the wire is the ALTCHA v2 payload, about 820 characters (measured):
 *   base64(JSON.stringify({ challenge: { parameters, signature }, solution: { counter, derivedKey, time } }))
 *
 * PBKDF2 runs in Web Crypto, off the main thread, so no Web Worker is needed (one would need the
 * partner page's CSP to allow it). Web Crypto needs a secure context: https, or localhost.
 */
import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/web/pbkdf2';

export interface BotCheck {
  /** The `altcha` value to sign with. Rejects if the challenge cannot be fetched or solved. */
  solution(): Promise<string>;
}

/** A challenge's signed times, on the server's clock (epoch ms). */
interface ChallengeTimes {
  issuedAt: number;
  usableAt: number;
  expiresAt: number;
}

interface Solved {
  altcha: string;
  /** On this page's clock (performance.now()), so that clock skew does not matter. */
  usableAt: number;
  expiresAt: number;
}

/** A solution this close to its expiry is not sent: the request itself takes time. */
const EXPIRY_MARGIN_MS = 60_000;

export function startBotCheck(challengeUrl: string): BotCheck {
  const solve = () => {
    const solving = solveOne(challengeUrl);
    solving.catch(() => {}); // the rejection is for solution(), when it asks
    return solving;
  };
  let next = solve();
  return {
    async solution() {
      let solved = await next.catch(() => undefined);
      if (!solved || performance.now() > solved.expiresAt - EXPIRY_MARGIN_MS) solved = await solveOne(challengeUrl);
      // The next one, in case this one is refused for another field and the visitor tries again.
      next = solve();
      const wait = solved.usableAt - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return solved.altcha;
    },
  };
}

async function solveOne(challengeUrl: string): Promise<Solved> {
  const requestedAt = performance.now();
  const response = await fetch(challengeUrl, { credentials: 'omit', cache: 'no-store' });
  if (!response.ok) throw new Error(`The challenge could not be fetched (${response.status}).`);
  const challenge = (await response.json()) as Challenge;
  // The server issued it between these two moments: wait from the later, expire from the earlier.
  const receivedAt = performance.now();
  const { issuedAt, usableAt, expiresAt } = challenge.parameters.data as unknown as ChallengeTimes;
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error('The challenge could not be solved in time.');
  return {
    altcha: btoa(JSON.stringify({ challenge, solution })),
    usableAt: receivedAt + (usableAt - issuedAt),
    expiresAt: requestedAt + (expiresAt - issuedAt),
  };
}
