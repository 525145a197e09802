/**
 * End to end, as on a partner's site: this page (the test runner's origin) loads the BUILT
 * script from the API server's origin with a plain script tag, and the element finds its API
 * from the script's own URL. That server runs with bot protection on, as in production: the
 * widget solves the proof of work and waits out the minimum fill time.
 */
import { expect, oneEvent } from '@open-wc/testing';
import {
  PROTECTED_API as API,
  countValue,
  fillValidIndividual,
  loaded,
  query,
  serverCount,
  shadow,
  submitButton,
  waitFor,
} from './support/helpers.js';

describe('the embed snippet on a page of another origin', () => {
  let element: HTMLElement;
  let globalsBefore: Set<string>;
  const errors: unknown[] = [];
  const onError = (event: ErrorEvent) => errors.push(event.error ?? event.message);

  before(async () => {
    window.addEventListener('error', onError);
    globalsBefore = new Set(Object.keys(window));
    expect(new URL(API).origin).not.to.equal(location.origin);
    // The element is on the page before the script arrives, as in most CMS pages.
    element = document.createElement('cohesion-declaration');
    element.setAttribute('partner', 'embed-test');
    document.body.append(element);
    const script = document.createElement('script');
    script.type = 'module';
    script.src = `${API}/widget/cohesion-declaration.js`;
    const loadedScript = new Promise((resolve, reject) => {
      script.onload = resolve;
      script.onerror = () => reject(new Error('the built script did not load'));
    });
    document.head.append(script);
    await loadedScript;
    await customElements.whenDefined('cohesion-declaration');
    await loaded(element);
  });

  after(() => window.removeEventListener('error', onError));

  it('adds no global but its tag, and throws nothing into the page', () => {
    expect(Object.keys(window).filter((key) => !globalsBefore.has(key))).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
  });

  it('survives the script being loaded twice', async () => {
    const again = document.createElement('script');
    again.type = 'module';
    // Another URL, so the browser runs a second copy of the module.
    again.src = `${API}/widget/cohesion-declaration.js?again`;
    await new Promise((resolve, reject) => {
      again.onload = resolve;
      again.onerror = () => reject(new Error('the second copy did not load'));
      document.head.append(again);
    });
    const second = document.createElement('cohesion-declaration');
    document.body.append(second);
    await loaded(second);
    second.remove();
    expect(errors).to.deep.equal([]);
  });

  it('upgrades the element that was already on the page and loads the campaign from its own server', () => {
    expect(query(element, 'h2').textContent).not.to.be.empty;
    expect(element.hasAttribute('api')).to.be.false;
  });

  // This server refuses a signature without a valid proof of work: signing proves the widget solved it.
  it('signs successfully across origins, with the proof of work, and the count rises', async () => {
    const before = countValue(element);
    await fillValidIndividual(element);
    const signed = oneEvent(element, 'cohesion-signed');
    submitButton(element).click();
    expect((await signed).detail).to.deep.include({ partner: 'embed-test', status: 'counted' });
    await waitFor(() => shadow(element).querySelector('[part=thanks]'), 'no thank-you state');
    // Other test files sign too: the count shown is the server's, and at least one higher.
    const count = await serverCount(API);
    await waitFor(() => countValue(element) >= count, "the count shown is behind the server's");
    expect(count).to.be.greaterThan(before);
  });

  it('switches language in place, loading the language chunk across origins', async () => {
    const bulgarian = await (await fetch(`${API}/api/campaigns/cohesion-alliance?lang=bg`)).json();
    element.setAttribute('lang', 'bg');
    await waitFor(() => query(element, 'h2').textContent === bulgarian.title, 'the title did not change');
    expect(shadow(element).querySelector('[lang=bg]')).to.exist;
  });
});
