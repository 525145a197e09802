/**
 * Launch day: the campaign already has supporters gathered elsewhere (a previous platform, paper
 * lists), which the organisers record as a baseline. With a baseline of 2,950 and three online
 * signatures, every place that shows the count shows 2,953: the widget, the count API, the live
 * stream, a partner's banner and the organiser dashboard. The server is one of its own
 * (test/web-test-runner.config.mjs: launchApi), so that these are all its supporters, and its
 * content names the organisers as the controller, so its privacy notice is theirs. A second
 * server of the same content keeps double opt-in on, for the confirmation page.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../widget/cohesion-declaration.js';
import '../../dashboard/organiser-dashboard.js';
import type { CohesionDeclaration } from '../../widget/cohesion-declaration.js';
import { countValue, loaded, submitDashboardToken, uniqueEmail, waitFor } from './support/helpers.js';

const env = window as unknown as {
  COHESION_LAUNCH_API: string;
  COHESION_LAUNCH_PROXY: string;
  COHESION_ADMIN_TOKEN: string;
  COHESION_LAUNCH_CONTROLLER: { name: string; address: string; email: string };
  COHESION_OPT_IN_API: string;
  COHESION_OPT_IN_PROXY: string;
};
/** Who the launch server's campaign names as responsible for the signers' data. */
const LAUNCH_CONTROLLER = env.COHESION_LAUNCH_CONTROLLER;
const DIRECT = env.COHESION_LAUNCH_API;
/** The same server through the same-origin proxy, for the admin API, which answers its own origin only. */
const ADMIN = `${location.origin}${env.COHESION_LAUNCH_PROXY}`;
const CAMPAIGN = `${DIRECT}/api/campaigns/cohesion-alliance`;

describe('launch day', () => {
  before(async () => {
    const baseline = await fetch(`${ADMIN}/api/admin/campaigns/cohesion-alliance/baseline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.COHESION_ADMIN_TOKEN}` },
      body: JSON.stringify({ count: 2950, note: 'Supporters on the previous platform' }),
    });
    expect(baseline.status).to.equal(201);
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${CAMPAIGN}/signatures`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ signerType: 'individual', name: 'Launch Day', country: 'BG', email: uniqueEmail(), consent: true }),
      });
      expect(response.status).to.equal(201);
    }
  });

  it('is 2,953 with a baseline of 2,950 and 3 online signatures: widget, count API, stream, banner, dashboard', async () => {
    const widget = await fixture<CohesionDeclaration>(html`<cohesion-declaration api=${DIRECT} variant="counter"></cohesion-declaration>`);
    await loaded(widget);
    await waitFor(() => countValue(widget) === 2953, `the widget shows ${countValue(widget)}`);
    expect(widget.shadowRoot!.querySelector('.count')!.textContent).to.equal('2,953');

    expect((await (await fetch(`${CAMPAIGN}/count`, { cache: 'no-store' })).json()).count).to.equal(2953);

    const stream = new EventSource(`${CAMPAIGN}/stream`);
    try {
      const event = await new Promise<MessageEvent>((resolve) =>
        stream.addEventListener('count', resolve as EventListener, { once: true }),
      );
      expect(JSON.parse(event.data).count).to.equal(2953);
    } finally {
      stream.close();
    }

    const banner = await (await fetch(`${CAMPAIGN}/banner.svg?lang=en&size=300x250&count=on`)).text();
    expect(banner).to.contain('2,953');

    const dashboard = await fixture<HTMLElement>(html`<cohesion-dashboard api=${ADMIN} campaign="cohesion-alliance"></cohesion-dashboard>`);
    const inside = (selector: string) => dashboard.shadowRoot!.querySelector(selector);
    await waitFor(() => inside('#token'), 'the dashboard did not ask for its token');
    submitDashboardToken(dashboard, env.COHESION_ADMIN_TOKEN);
    await waitFor(() => inside('#public-count'), 'the dashboard did not open');
    await waitFor(
      () => inside('#public-count')!.textContent!.includes('2,953'),
      `the dashboard shows ${inside('#public-count')!.textContent}`,
    );
  });

  it("gives the privacy notice in Bulgarian: the organiser's own, with no English sentence and no sample left", async () => {
    const english: Record<string, string> = await (await fetch('/server/content/messages/en.json')).json();
    // Our English sentences around their placeholders, a plural one included.
    const sentences = Object.entries(english)
      .filter(([key]) => key.startsWith('privacy.') && key !== 'privacy.link')
      .flatMap(([, text]) => text.split(/\{(?:[^{}]|\{[^{}]*\})*\}/))
      .map((piece) => piece.trim())
      .filter((piece) => piece.length > 12);
    const frame = document.createElement('iframe');
    frame.src = `${ADMIN}/privacy?lang=bg&campaign=cohesion-alliance`;
    const loaded = new Promise((resolve) => (frame.onload = resolve));
    document.body.append(frame);
    try {
      await loaded;
      const page = frame.contentDocument!;
      expect(page.documentElement.lang).to.equal('bg');
      const text = page.body.innerText;
      expect(text).to.contain(LAUNCH_CONTROLLER.name).and.contain(LAUNCH_CONTROLLER.address).and.contain(LAUNCH_CONTROLLER.email);
      expect(text).not.to.match(/sample|replace/i);
      expect(sentences.filter((sentence) => text.includes(sentence))).to.deep.equal([]);
      expect(text).to.match(/[а-я]{4}/);
    } finally {
      frame.remove();
    }
  });
  it('confirms from the mail on a page with the campaign, the share step and the way back to the page signed on', async () => {
    const proxy = `${location.origin}${env.COHESION_OPT_IN_PROXY}`;
    const partner = await fetch(`${proxy}/api/admin/partners/launch-partner`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.COHESION_ADMIN_TOKEN}` },
      // Signatures from this page's origin count for this partner, and its page is recorded.
      body: JSON.stringify({ name: 'Launch Partner', origins: [location.origin] }),
    });
    expect(partner.status).to.equal(200);
    const page = `${location.origin}/partner/cohesion-alliance`;
    const email = uniqueEmail();
    const signed = await fetch(`${env.COHESION_OPT_IN_API}/api/campaigns/cohesion-alliance/signatures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        signerType: 'individual',
        name: 'Launch Day',
        country: 'BG',
        email,
        consent: true,
        partner: 'launch-partner',
        page,
      }),
    });
    expect(signed.status).to.equal(202);
    // The mail, from the server's development outbox: its confirmation link.
    let token: string | undefined;
    await waitFor(async () => {
      const outbox = await (await fetch(`${proxy}/dev/outbox`)).text();
      token = outbox.slice(outbox.indexOf(email)).match(/\/confirm\?token=([^\s"<&]+)/)?.[1];
      return token;
    }, 'no mail with a confirmation link');

    const frame = document.createElement('iframe');
    frame.style.cssText = 'inline-size: 480px; block-size: 900px';
    const loaded = () => new Promise((resolve) => (frame.onload = resolve));
    let next = loaded();
    frame.src = `${proxy}/confirm?token=${token}`;
    document.body.append(frame);
    try {
      await next;
      // The button, as a signer presses it (its form posts to the server's own /confirm, here behind the proxy).
      const form = frame.contentDocument!.querySelector<HTMLFormElement>('form[method=post]')!;
      form.action = `${proxy}/confirm`;
      next = loaded();
      form.querySelector('button')!.click();
      await next;
      const doc = frame.contentDocument!;
      const visible = (element: Element | null) => !!element && element.getBoundingClientRect().height > 0;
      const back = [...doc.querySelectorAll('a')].find((a) => a.getAttribute('href') === page);
      expect(visible(back!), 'the way back to the page signed on').to.be.true;
      expect(back!.textContent).to.equal('Back to the page where you signed');
      const shared = [...doc.querySelectorAll<HTMLAnchorElement>('li a')].map((a) => a.href);
      expect(shared.map((href) => new URL(href).hostname)).to.include.members(['x.com', 'www.facebook.com', 'wa.me']);
      expect(
        shared.every((href) => decodeURIComponent(href).includes(page)),
        'the page signed on is shared',
      ).to.be.true;
      expect(
        shared.some((href) => decodeURIComponent(href).includes('#CohesionAlliance')),
        'with the hashtag',
      ).to.be.true;
      expect(doc.body.textContent).to.contain('Declaration of Principles of the #CohesionAlliance');
    } finally {
      frame.remove();
    }
  });
});
