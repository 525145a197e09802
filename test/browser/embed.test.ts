/**
 * End to end, as on a partner's site: this page (the test runner's origin) loads the BUILT
 * script from the API server's origin with a plain script tag, and the element finds its API
 * from the script's own URL.
 */
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { API, countValue, fillValidIndividual, loaded, query, serverCount, shadow, submitButton } from './helpers.js';

describe('the embed snippet on a page of another origin', () => {
  let element: HTMLElement;

  before(async () => {
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

  it('upgrades the element that was already on the page and loads the campaign from its own server', () => {
    expect(query(element, 'h2').textContent).not.to.be.empty;
    expect(element.hasAttribute('api')).to.be.false;
  });

  it('signs successfully across origins, and the count rises', async () => {
    const before = countValue(element);
    await fillValidIndividual(element);
    const signed = oneEvent(element, 'cohesion-signed');
    submitButton(element).click();
    expect((await signed).detail).to.deep.include({ partner: 'embed-test', status: 'counted' });
    await waitUntil(() => shadow(element).querySelector('[part=thanks]'), 'no thank-you state');
    // Other test files sign too: the count shown is the server's, and at least one higher.
    const count = await serverCount();
    await waitUntil(() => countValue(element) >= count, 'the count shown is behind the server\'s');
    expect(count).to.be.greaterThan(before);
  });

  it('switches language in place, loading the language chunk across origins', async () => {
    const bulgarian = await (await fetch(`${API}/api/campaigns/cohesion-alliance?lang=bg`)).json();
    element.setAttribute('lang', 'bg');
    await waitUntil(() => query(element, 'h2').textContent === bulgarian.title, 'the title did not change', { timeout: 5000 });
    expect(shadow(element).querySelector('[lang=bg]')).to.exist;
  });
});
