import { expect, fixture, html } from '@open-wc/testing';
import '../../embed-builder/embed-builder.js';
import { embedSnippet, type CohesionEmbedBuilder } from '../../embed-builder/embed-builder.js';
import { API, loaded, query, setField, shadow, submitButton, uniqueEmail, waitFor } from './support/helpers.js';

function choose(builder: HTMLElement, name: string, value: string) {
  const control = builder.shadowRoot!.querySelector<HTMLInputElement | HTMLSelectElement>(`[name=${name}]`)!;
  control.value = value;
  control.dispatchEvent(new Event(control.tagName === 'SELECT' ? 'change' : 'input'));
}

describe('the embed-code builder', () => {
  it('writes only the attributes that differ from the defaults, escaped', () => {
    const base = { server: 'https://sign.example.eu', partner: '', lang: '', variant: 'full', colorScheme: '', accent: '#0b5cab' } as const;
    expect(embedSnippet(base)).to.equal(
      '<script type="module" src="https://sign.example.eu/widget/cohesion-declaration.js"></script>\n<cohesion-declaration></cohesion-declaration>',
    );
    expect(embedSnippet({ ...base, partner: 'a"b', variant: 'compact', accent: '#123456' })).to.contain(
      '<cohesion-declaration partner="a&quot;b" variant="compact" style="--cohesion-color-accent: #123456">',
    );
  });

  it('links to the printable declaration in the chosen language', async () => {
    const builder = await fixture<CohesionEmbedBuilder>(html`<cohesion-embed-builder server=${API}></cohesion-embed-builder>`);
    const link = () => builder.shadowRoot!.querySelector<HTMLAnchorElement>('#declaration')!;
    await builder.updateComplete;
    expect(link().href).to.equal(new URL('/declaration/cohesion-alliance/en', API).href);
    choose(builder, 'lang', 'bg');
    await builder.updateComplete;
    expect(link().href).to.equal(new URL('/declaration/cohesion-alliance/bg', API).href);
    expect(link().textContent).to.contain('български');
  });

  it('builds a snippet that, pasted into a blank page, shows the widget and signs', async () => {
    const builder = await fixture<CohesionEmbedBuilder>(html`<cohesion-embed-builder server=${API}></cohesion-embed-builder>`);
    choose(builder, 'partner', 'builder-test');
    choose(builder, 'lang', 'en');
    choose(builder, 'variant', 'compact');
    await builder.updateComplete;
    const snippet = builder.shadowRoot!.querySelector('#snippet')!.textContent!;
    expect(snippet).to.contain('partner="builder-test"');
    expect(snippet).to.contain('variant="compact"');

    const frame = document.createElement('iframe');
    frame.srcdoc = `<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body>${snippet}</body></html>`;
    document.body.append(frame);
    try {
      await waitFor(() => frame.contentDocument?.querySelector('cohesion-declaration')?.shadowRoot, 'the snippet did not render');
      const element = frame.contentDocument!.querySelector('cohesion-declaration') as HTMLElement;
      await loaded(element);
      query(element, '[part=open-button]').click();
      await waitFor(() => shadow(element).querySelector('form'), 'the form did not open');
      setField(element, 'name', 'Ana Webmaster');
      setField(element, 'country', 'PT');
      setField(element, 'email', uniqueEmail());
      setField(element, 'consent', true);
      submitButton(element).click();
      await waitFor(() => shadow(element).querySelector('[part=thanks]'), 'signing from the snippet failed');

      // The webmaster sees how many signed through their partner id.
      choose(builder, 'partner', 'builder-test');
      const partnerCount = () => builder.shadowRoot!.querySelector('#partner-count')!.textContent!.trim();
      await waitFor(() => partnerCount() === 'Signed via “builder-test” so far: 1', `partner count shown: "${partnerCount()}"`);
      choose(builder, 'partner', 'nobody-signed-here');
      await waitFor(() => partnerCount().endsWith('so far: 0'), 'an unused partner id counts 0');
    } finally {
      frame.remove();
    }
  });
});
