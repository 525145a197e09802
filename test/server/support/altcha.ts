/** Solving the server's proof-of-work challenges in tests, as the widget does (with Node's PBKDF2: faster). */
import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { MIN_FILL_MS } from '../../../server/protection/proof-of-work.js';
import { CAMPAIGN, type TestApp } from './test-app.js';

export const challengeUrl = (campaign = CAMPAIGN) => `/api/campaigns/${campaign}/challenge`;

/** A challenge from the app, solved, as the `altcha` field carries it. */
export async function solvedAltcha(t: TestApp, campaign = CAMPAIGN): Promise<string> {
  const challenge = (await (await t.request(challengeUrl(campaign))).json()) as Challenge;
  const solution = await solveChallenge({ challenge, deriveKey });
  return encodeAltcha({ challenge, solution });
}

/** Solved, and the app's clock moved past the minimum time to fill in the form. */
export async function readyAltcha(t: TestApp, campaign = CAMPAIGN): Promise<string> {
  const altcha = await solvedAltcha(t, campaign);
  t.advanceClock(MIN_FILL_MS);
  return altcha;
}

export const encodeAltcha = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64');
export const decodeAltcha = (altcha: string) => JSON.parse(Buffer.from(altcha, 'base64').toString('utf8'));
