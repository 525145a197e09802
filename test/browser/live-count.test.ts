import { expect, fixture, fixtureCleanup, html, oneEvent } from '@open-wc/testing';
import '../../widget/cohesion-declaration.js';
import type { CohesionCountDetail, CohesionDeclaration } from '../../widget/cohesion-declaration.js';
import { nextGoal } from '../../widget/cohesion-declaration/live-count-controller.js';
import { openFeeds, timing } from '../../widget/live-count.js';
import {
  API,
  countValue,
  fillValidIndividual,
  loaded,
  query,
  reduceMotion,
  serverCount,
  shadow,
  submitButton,
  uniqueEmail,
  waitFor,
} from './support/helpers.js';

const CAMPAIGN_URL = `${API}/api/campaigns/cohesion-alliance`;

/** Somebody, somewhere, signs: straight to the API, not through any widget on this page. */
async function somebodySigns(partner?: string) {
  const response = await fetch(`${CAMPAIGN_URL}/signatures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      signerType: 'individual',
      name: 'Somebody Else',
      country: 'FR',
      email: uniqueEmail(),
      consent: true,
      ...(partner ? { partner } : {}),
    }),
  });
  expect(response.status).to.equal(201);
  return (await response.json()).count as number;
}

async function widget(attributes: { partner?: string; variant?: string } = {}) {
  const element = await fixture<CohesionDeclaration>(
    html`<cohesion-declaration api=${API} partner=${attributes.partner ?? ''} variant=${attributes.variant ?? 'full'}></cohesion-declaration>`,
  );
  await loaded(element);
  return element;
}

function setVisibility(state: 'hidden' | 'visible') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('the live counter', () => {
  // Numbers jump straight to their value, so tests can read them; one test turns motion back on.
  before(async () => expect(await reduceMotion(true)).to.equal(true));
  after(() => reduceMotion(false));

  afterEach(() => {
    fixtureCleanup();
    delete (document as { visibilityState?: string }).visibilityState;
  });

  it('shows a signature made anywhere, on two pages of different origins, without reload', async () => {
    const element = await widget();
    const frame = document.createElement('iframe');
    // The same test server under another host name: another origin.
    frame.src = `http://localhost:${location.port}/test/browser/support/fixtures/live-page.html?api=${encodeURIComponent(API)}`;
    const counts: number[] = [];
    const onMessage = (event: MessageEvent) => {
      if (event.source === frame.contentWindow) counts.push(event.data.count);
    };
    window.addEventListener('message', onMessage);
    document.body.append(frame);
    try {
      expect(new URL(frame.src).origin).not.to.equal(location.origin);
      await waitFor(() => counts.length > 0, 'the other page did not show a count');
      const newCount = await somebodySigns();
      await waitFor(() => countValue(element) === newCount, 'this page did not move');
      await waitFor(() => counts.at(-1) === newCount, 'the other page did not move');
    } finally {
      window.removeEventListener('message', onMessage);
      frame.remove();
    }
  });

  it('fires cohesion-count when the count changes', async () => {
    const element = await widget();
    // Every event, as the feed may still be catching up with a count from before this signature.
    const details: CohesionCountDetail[] = [];
    element.addEventListener('cohesion-count', (event) => details.push(event.detail));
    const newCount = await somebodySigns();
    await waitFor(() => details.some(({ count }) => count === newCount), 'no cohesion-count with the new count');
    expect(details.find(({ count }) => count === newCount)).to.include({ campaign: 'cohesion-alliance', count: newCount });
  });

  it('shares one stream among all the elements of a page', async () => {
    const first = await widget();
    const second = document.createElement('cohesion-declaration');
    second.setAttribute('api', API);
    document.body.append(second);
    await loaded(second);
    try {
      const streams = [...openFeeds().entries()].filter(([url]) => url.startsWith(API));
      expect(streams).to.have.length(1);
      expect(streams[0]![1].listeners.size).to.equal(2);
      const newCount = await somebodySigns();
      await waitFor(() => countValue(first) === newCount && countValue(second) === newCount, 'not both moved');
    } finally {
      second.remove();
    }
  });

  it('closes the stream when the last element leaves the page, and reopens it when one comes back', async () => {
    const element = await widget();
    const ours = () => [...openFeeds().keys()].filter((url) => url.startsWith(API));
    expect(ours()).to.have.length(1);
    const parent = element.parentElement!;
    element.remove();
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(ours()).to.have.length(0);
    parent.append(element);
    // The live feed is a chunk of its own, so the stream opens a moment after the update.
    await waitFor(() => ours().length === 1, 'the stream did not reopen');
  });

  it("with a partner, carries the partner's count from its first cohesion-count, and never one older than the count", async () => {
    const partner = `count-events-${Date.now().toString(36)}`;
    await somebodySigns(partner);
    const details: CohesionCountDetail[] = [];
    const record = (event: CustomEvent<CohesionCountDetail>) => details.push(event.detail);
    document.addEventListener('cohesion-count', record);
    try {
      const element = await widget({ partner });
      await waitFor(() => details.length, 'no cohesion-count');
      expect(details[0]!.partnerCount, 'the first event').to.equal(1);
      // The visitor signs here: the answer carries the new count alone; the event waits for the
      // feed, which brings the partner's with it.
      details.length = 0;
      await fillValidIndividual(element);
      submitButton(element).click();
      await waitFor(() => details.some(({ partnerCount }) => partnerCount === 2), "no cohesion-count with the partner's new count");
      const counted = await serverCount();
      expect(details.filter(({ count }) => count === counted).map(({ partnerCount }) => partnerCount)).to.deep.equal([2]);
    } finally {
      document.removeEventListener('cohesion-count', record);
    }
  });

  it("shows how many signed through the partner's site", async () => {
    const element = await widget({ partner: 'live-partner' });
    await somebodySigns('live-partner');
    await waitFor(() => query(element, '[part=counter]').textContent!.includes('Signed via this site'), 'no partner count');
    expect(query(element, '[part=counter]').textContent).to.match(/Signed via this site: 1\b/);
  });

  it('is not a live region, and can be paused by the visitor with a labelled switch that shows its state (WCAG 2.2.2)', async () => {
    const element = await widget();
    const counter = query(element, '[part=counter]');
    expect(counter.closest('[aria-live]')).to.be.null;
    expect(counter.closest('[role=status]')).to.be.null;

    const pause = query<HTMLButtonElement>(element, '[part=counter] button');
    expect(pause.getAttribute('role')).to.equal('switch');
    expect(pause.textContent!.trim()).to.equal('Live updates');
    expect(pause.getAttribute('aria-checked')).to.equal('true');
    // Its state shows: the knob at the end of the track, in the accent, while live; at the start, muted, while paused.
    const track = () => getComputedStyle(pause, '::before');
    const live = { knob: track().backgroundPositionX, colour: track().color };
    pause.click();
    await element.updateComplete;
    expect(pause.getAttribute('aria-checked')).to.equal('false');
    expect(track().backgroundPositionX, 'the knob moves').not.to.equal(live.knob);
    expect(track().color, 'the track is muted').not.to.equal(live.colour);
    const shown = countValue(element);
    const newCount = await somebodySigns();
    // Another element on the same page shares the feed: once it shows the new count, the paused one has had it too.
    const other = await widget();
    await waitFor(() => countValue(other) === newCount, 'the other element did not move');
    await element.updateComplete;
    expect(countValue(element)).to.equal(shown);

    pause.click();
    await waitFor(() => countValue(element) === newCount, 'resuming did not show the count');
    expect(pause.getAttribute('aria-checked')).to.equal('true');
  });

  it('counts up to a new number gently, and at once under reduced motion', async function () {
    // Only where the test can turn motion on (Chromium).
    if (!(await reduceMotion(false))) this.skip();
    const element = await widget();
    const seen = new Set<number>();
    const observer = new MutationObserver(() => seen.add(countValue(element)));
    observer.observe(shadow(element), { subtree: true, characterData: true, childList: true });
    const from = countValue(element);
    await somebodySigns();
    await somebodySigns();
    const to = await somebodySigns();
    await waitFor(() => countValue(element) === to, 'did not reach the new count');
    observer.disconnect();
    expect(
      [...seen].some((value) => value > from && value < to),
      `passed through ${[...seen]}`,
    ).to.be.true;

    await reduceMotion(true);
    const changed = oneEvent(element, 'cohesion-count');
    const next = await somebodySigns();
    await changed;
    await element.updateComplete;
    expect(countValue(element)).to.equal(next);
  });

  it('holds no stream while the page is hidden, and catches up when it is shown', async () => {
    const element = await widget();
    const feed = () => [...openFeeds().entries()].find(([url]) => url.startsWith(API))![1];
    expect(feed().connected).to.be.true;
    setVisibility('hidden');
    expect(feed().connected).to.be.false;
    const newCount = await somebodySigns();
    setVisibility('visible');
    expect(feed().connected).to.be.true;
    await waitFor(() => countValue(element) === newCount, 'did not catch up');
  });

  it('polls /count with its ETag where event streams are unavailable', async () => {
    const RealEventSource = window.EventSource;
    const realFetch = window.fetch;
    const polls: Array<string | null> = [];
    const poll = timing.poll;
    timing.poll = 200;
    (window as { EventSource?: unknown }).EventSource = undefined;
    window.fetch = (input, init) => {
      if (String(input).includes('/count')) polls.push(new Headers(init?.headers).get('if-none-match'));
      return realFetch(input, init);
    };
    try {
      const element = await widget({ variant: 'counter' });
      await waitFor(() => polls.length >= 2, 'no polling');
      expect(polls[0]).to.be.null;
      expect(polls[1]).to.match(/^"\d+-\d+"$/);
      const newCount = await somebodySigns();
      await waitFor(() => countValue(element) === newCount, 'polling did not pick up the change');
    } finally {
      window.EventSource = RealEventSource;
      window.fetch = realFetch;
      timing.poll = poll;
    }
  });

  it('sets the next goal once a goal is passed: 1, 2, 5 times a power of ten', () => {
    expect(nextGoal(3000, 0)).to.equal(3000);
    expect(nextGoal(3000, 2999)).to.equal(3000);
    expect(nextGoal(3000, 3000)).to.equal(5000);
    expect(nextGoal(3000, 7200)).to.equal(10000);
    expect(nextGoal(3000, 10000)).to.equal(20000);
    expect(nextGoal(3000, 1_234_567)).to.equal(2_000_000);
  });

  it('as variant="counter" shows the counter under the campaign\'s name, with a link to sign and no form', async () => {
    const element = await widget({ variant: 'counter' });
    expect(shadow(element).querySelector('[part=counter]')).to.exist;
    expect(shadow(element).querySelector('form') === null, 'no form').to.be.true;
    expect(shadow(element).querySelector('[part=declaration]') === null, 'no declaration').to.be.true;
    await waitFor(() => query(element, '[part=header] h2').textContent!.trim(), 'no title');
    expect(query(element, '[part=sign-link]').textContent!.trim()).to.equal('Sign the declaration');
    await expect(element).to.be.accessible();
  });
});
