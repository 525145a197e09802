import { expect, fixture, html } from '@open-wc/testing';
import '../../embed-builder/embed-builder.js';
import { embedSnippet, type CohesionEmbedBuilder } from '../../embed-builder/embed-builder.js';
import { BANNER_SIZES } from '../../contract/banners.js';
import { EMBED_HEIGHTS } from '../../contract/embed.js';
import { API, loaded, query, setField, shadow, submitButton, uniqueEmail, waitFor } from './support/helpers.js';

function choose(builder: HTMLElement, name: string, value: string) {
  const control = builder.shadowRoot!.querySelector<HTMLInputElement | HTMLSelectElement>(`[name=${name}]`)!;
  control.value = value;
  control.dispatchEvent(new Event(control.tagName === 'SELECT' ? 'change' : 'input'));
}

describe('the embed-code builder', () => {
  it('writes the reserved place, then only the attributes that differ from the defaults, escaped', () => {
    const base = { server: 'https://sign.example.eu', partner: '', lang: '', variant: 'full', colorScheme: '', accent: '#0b5cab' } as const;
    expect(embedSnippet(base)).to.equal(
      [
        '<style>cohesion-declaration:not(:defined) { display: block; font-size: medium; min-block-size: calc(62.65 * var(--cohesion-font-size, 1em)); }</style>',
        '<script type="module" src="https://sign.example.eu/widget/cohesion-declaration.js"></script>',
        '<cohesion-declaration></cohesion-declaration>',
      ].join('\n'),
    );
    expect(embedSnippet({ ...base, partner: 'plovdiv', variant: 'counter' })).to.contain(
      '<style>cohesion-declaration[variant=counter]:not(:defined) { display: block; font-size: medium; min-block-size: calc(17.15 * var(--cohesion-font-size, 1em)); }</style>',
    );
    expect(embedSnippet({ ...base, partner: 'a"b', variant: 'compact', accent: '#123456' })).to.contain(
      '<cohesion-declaration partner="a&quot;b" variant="compact" style="--cohesion-color-accent: #123456">',
    );
  });

  it('offers the iframe snippet beside the script one, its preview showing the same embed page', async () => {
    const builder = await fixture<CohesionEmbedBuilder>(html`<cohesion-embed-builder server=${API}></cohesion-embed-builder>`);
    choose(builder, 'partner', 'plovdiv');
    choose(builder, 'lang', 'bg');
    choose(builder, 'variant', 'counter');
    choose(builder, 'accent', '#aa3300');
    const src = `${API}/embed/cohesion-alliance?partner=plovdiv&lang=bg&variant=counter&accent=%23aa3300`;
    const snippet = () => builder.shadowRoot!.querySelector('#iframe-snippet')!.textContent!;
    // The frame's title is the campaign's, in the chosen language, from the server.
    const { title } = await (await fetch(`${API}/api/campaigns/cohesion-alliance?lang=bg`)).json();
    await waitFor(() => snippet().includes(`title="${title}"`), 'the iframe snippet has no title in Bulgarian');
    const [frame, comment, resizer] = snippet().split('\n');
    expect(frame).to.equal(
      `<iframe src="${src.replaceAll('&', '&amp;')}" title="${title}" loading="lazy" ` +
        `style="display: block; inline-size: 100%; block-size: ${EMBED_HEIGHTS.counter}px; border: 0;"></iframe>`,
    );
    expect(comment).to.match(/^<!-- Optional/);
    expect(resizer).to.equal(`<script src="${API}/widget/embed-resizer.js" async></script>`);
    const preview = builder.shadowRoot!.querySelector<HTMLIFrameElement>('#iframe-preview')!;
    expect(preview.src).to.equal(src);
    expect(preview.title).to.equal(title);
    // Both snippets, each with its own copy button.
    const buttons = [...builder.shadowRoot!.querySelectorAll('.copy button')].map((button) => button.textContent!.trim());
    expect(buttons).to.deep.equal(['Copy the script snippet', 'Copy the iframe snippet']);
  });

  it('links to the banners in the chosen language, each an image of its size from the server', async () => {
    const builder = await fixture<CohesionEmbedBuilder>(html`<cohesion-embed-builder server=${API}></cohesion-embed-builder>`);
    choose(builder, 'lang', 'fi');
    await builder.updateComplete;
    const links = [...builder.shadowRoot!.querySelectorAll<HTMLAnchorElement>('#banners a')].map((a) => new URL(a.href));
    expect(links.length).to.equal(BANNER_SIZES.length * 3);
    for (const link of links) {
      expect(link.origin + link.pathname).to.match(new RegExp(`^${API}/api/campaigns/cohesion-alliance/banner\\.(svg|png)$`));
      expect(link.searchParams.get('lang')).to.equal('fi');
    }
    // Each draws, at its size: as an <img>, as a partner's page would show it.
    for (const link of links.filter((_, i) => i % 3 !== 1)) {
      const image = new Image();
      image.src = link.href;
      await image.decode();
      expect(`${image.naturalWidth}x${image.naturalHeight}`).to.equal(link.searchParams.get('size'));
    }
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
    expect(snippet).to.contain('cohesion-declaration[variant=compact]:not(:defined)');

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

  it('copies with a visible "copied" state, and fits a 320 px screen without breaking a word of the snippet', async () => {
    const builder = await fixture<CohesionEmbedBuilder>(
      html`<cohesion-embed-builder server=${API} style="display: grid; inline-size: 320px"></cohesion-embed-builder>`,
    );
    choose(builder, 'partner', 'a-partner-with-a-rather-long-identifier');
    await builder.updateComplete;
    const button = builder.shadowRoot!.querySelector<HTMLButtonElement>('.copy button')!;
    // No clipboard in a headless test page without a user's permission: the state is the builder's own.
    const realClipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async () => undefined } });
    try {
      button.click();
      await waitFor(() => button.textContent!.includes('Copied'), 'no copied state');
      expect(button.classList.contains('copied')).to.equal(true);
      expect(builder.shadowRoot!.querySelector('.copy [role=status]')!.textContent).to.contain('clipboard');
    } finally {
      delete (navigator as unknown as Record<string, unknown>).clipboard;
      if (realClipboard) Object.defineProperty(Navigator.prototype, 'clipboard', realClipboard);
    }
    expect(builder.scrollWidth, 'no sideways scrolling').to.be.at.most(320);
    const snippet = builder.shadowRoot!.querySelector<HTMLElement>('#snippet')!;
    expect(getComputedStyle(snippet).wordBreak).to.equal('normal');
    expect(getComputedStyle(snippet).overflowWrap).to.equal('normal');
  });
});
