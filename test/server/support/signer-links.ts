/** Following the links in a signer's mail, as a browser does, in `t.request()` tests. */
import { loadCampaigns } from '../../../server/campaigns.js';
import { loadConfig } from '../../../server/config.js';
import { CAMPAIGN, type TestApp } from './test-app.js';

const COUNT_URL = `/api/campaigns/${CAMPAIGN}/count`;

/** The campaign's title in a language, as the mails and pages quote it. */
export const titleIn = (lang: string) => loadCampaigns(loadConfig({}).contentDir).get(CAMPAIGN)!.texts(lang).title;

/** The confirm and withdraw links in a mail: whole lines that start with `base` (PUBLIC_URL). */
export function linksIn(mail: { text: string }, base: string) {
  const link = (purpose: string) => mail.text.match(new RegExp(`^${base}/${purpose}\\?token=[1-9]\\d*\\.[A-Za-z0-9_-]{43}$`, 'm'))?.[0];
  return { confirm: link('confirm'), withdraw: link('withdraw') };
}

export const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

/** Opens a link as a browser (or a mail scanner) does: a GET of its path and query. */
export function open(t: TestApp, link: string, headers: Record<string, string> = {}) {
  const url = new URL(link);
  return t.request(url.pathname + url.search, { headers });
}

/** Presses the page's button: a form POST of the token to the link's path. */
export function press(t: TestApp, link: string) {
  return t.request(new URL(link).pathname, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: tokenOf(link) }).toString(),
  });
}

/** The public count. */
export async function countOf(t: TestApp): Promise<number> {
  return (await (await t.request(COUNT_URL)).json()).count;
}

/** The public count and a partner's. */
export async function countsOf(t: TestApp, partner: string): Promise<[number, number]> {
  const { count, partnerCount } = await (await t.request(`${COUNT_URL}?partner=${partner}`)).json();
  return [count, partnerCount];
}
