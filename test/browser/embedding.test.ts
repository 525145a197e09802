/**
 * What a partner webmaster and a designer rely on: the widget survives hostile host CSS, takes
 * its theme from custom properties and ::part(), fits a narrow column, and comes in variants.
 */
import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { emulateMedia, executeServerCommand, sendKeys } from '@web/test-runner-commands';
import '../../widget/cohesion-declaration.js';
import type { CohesionDeclaration } from '../../widget/cohesion-declaration.js';
import { API, focused, loaded, query, shadow, submitButton, waitFor } from './support/helpers.js';

async function widget(template = html`<cohesion-declaration api=${API}></cohesion-declaration>`) {
  const container = await fixture<HTMLElement>(html`<div>${template}</div>`);
  const element = container.querySelector('cohesion-declaration') as CohesionDeclaration;
  await loaded(element);
  return element;
}

function addStyle(text: string) {
  const style = document.createElement('style');
  style.textContent = text;
  document.head.append(style);
  return style;
}

/** Relative luminance of a computed `rgb(…)` colour, 0 (black) to 1 (white). */
function luminance(color: string) {
  const [r, g, b] = color
    .match(/[\d.]+/g)!
    .slice(0, 3)
    .map((v) => Number(v) / 255);
  const linear = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r!) + 0.7152 * linear(g!) + 0.0722 * linear(b!);
}

describe('embedding <cohesion-declaration>', () => {
  const errors: unknown[] = [];
  const onError = (event: ErrorEvent) => errors.push(event.error ?? event.message);
  before(() => window.addEventListener('error', onError));
  after(() => window.removeEventListener('error', onError));
  afterEach(() => {
    fixtureCleanup();
    expect(errors, 'errors thrown into the host page').to.deep.equal([]);
  });

  it('keeps its look under hostile host CSS: resets, !important rules, a huge root font size', async () => {
    const hostile = addStyle(`
      html { font-size: 40px !important; }
      * { color: #f0f !important; font-size: 30px !important; box-sizing: content-box !important; }
      input, select, button, form, label { display: none !important; all: unset !important; }
      cohesion-declaration { font-family: "Comic Sans MS" !important; line-height: 4 !important; }
    `);
    try {
      const element = await widget();
      const button = submitButton(element);
      const style = getComputedStyle(button);
      expect(button.offsetHeight, 'the button is shown').to.be.greaterThan(30);
      expect(style.fontSize).to.equal('16px');
      expect(style.color).not.to.equal('rgb(255, 0, 255)');
      expect(getComputedStyle(query(element, 'h2')).color).not.to.equal('rgb(255, 0, 255)');
      expect(getComputedStyle(query(element, '.root')).lineHeight).to.equal('24px');
      expect(query(element, '[name=email]').offsetHeight).to.be.greaterThan(30);
    } finally {
      hostile.remove();
    }
  });

  it('takes its colours from --cohesion-* custom properties set by the host', async () => {
    const element = await widget(
      html`<cohesion-declaration api=${API} style="--cohesion-color-accent: rgb(200, 0, 0); --cohesion-radius: 0px"></cohesion-declaration>`,
    );
    const style = getComputedStyle(submitButton(element));
    expect(style.backgroundColor).to.equal('rgb(200, 0, 0)');
    expect(style.borderRadius).to.equal('0px');
  });

  it('lets the host restyle its parts with ::part()', async () => {
    const rule = addStyle(`
      cohesion-declaration::part(submit-button) { text-transform: uppercase; border-radius: 20px; }
      cohesion-declaration::part(counter) { outline: 3px dotted rgb(0, 128, 0); }
    `);
    try {
      const element = await widget();
      expect(getComputedStyle(submitButton(element)).textTransform).to.equal('uppercase');
      expect(getComputedStyle(submitButton(element)).borderRadius).to.equal('20px');
      expect(getComputedStyle(query(element, '[part=counter]')).outlineStyle).to.equal('dotted');
      for (const part of ['form', 'counter', 'submit-button', 'header', 'declaration']) {
        expect(shadow(element).querySelector(`[part~=${part}]`), part).to.exist;
      }
    } finally {
      rule.remove();
    }
  });

  it('follows color-scheme="dark" and stays axe-clean', async () => {
    const element = await widget(html`<cohesion-declaration api=${API} color-scheme="dark"></cohesion-declaration>`);
    const root = query(element, '.root');
    expect(luminance(getComputedStyle(root).backgroundColor)).to.be.lessThan(0.1);
    expect(luminance(getComputedStyle(root).color)).to.be.greaterThan(0.7);
    await expect(element).to.be.accessible();
  });

  it('follows the system setting with color-scheme="auto", and the host page otherwise', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    try {
      const auto = await widget(html`<cohesion-declaration api=${API} color-scheme="auto"></cohesion-declaration>`);
      expect(luminance(getComputedStyle(query(auto, '.root')).backgroundColor)).to.be.lessThan(0.1);
      fixtureCleanup();
      // A page that never opted into dark gets a light widget, whatever the system says.
      const inherit = await widget();
      expect(luminance(getComputedStyle(query(inherit, '.root')).backgroundColor)).to.be.greaterThan(0.9);
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });

  it('fits a 320 px column without scrolling sideways', async () => {
    const container = await fixture<HTMLElement>(
      html`<div style="inline-size: 320px"><cohesion-declaration api=${API} variant="full"></cohesion-declaration></div>`,
    );
    const element = container.firstElementChild as CohesionDeclaration;
    await loaded(element);
    expect(element.getBoundingClientRect().width).to.be.at.most(320);
    const root = query(element, '.root');
    expect(root.scrollWidth, 'no horizontal overflow').to.be.at.most(root.clientWidth);
  });

  it('as variant="compact" shows the counter and a button that opens the form in place, and closes it again', async () => {
    const element = await widget(html`<cohesion-declaration api=${API} variant="compact"></cohesion-declaration>`);
    expect(shadow(element).querySelector('form')).to.be.null;
    const open = query<HTMLButtonElement>(element, '[part=open-button]');
    expect(open.getAttribute('aria-expanded')).to.equal('false');
    open.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => shadow(element).querySelector('form'), 'the form did not open');
    // Focus where reading starts: the title, above the declaration and the form.
    await waitFor(() => focused(element) === query(element, '[part=header] h2'), 'focus is not on the title');
    const close = query<HTMLButtonElement>(element, '[part=close-button]');
    expect(close.getAttribute('aria-expanded')).to.equal('true');
    await expect(element).to.be.accessible();

    // Escape, from anywhere in it, closes it; focus goes back to the button that opens it.
    query(element, '[name=name]').focus();
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !shadow(element).querySelector('form'), 'Escape did not close the form');
    expect(focused(element)).to.equal(query(element, '[part=open-button]'));

    query<HTMLButtonElement>(element, '[part=open-button]').click();
    await waitFor(() => shadow(element).querySelector('[part=close-button]'), 'the form did not open again');
    query<HTMLButtonElement>(element, '[part=close-button]').click();
    await waitFor(() => !shadow(element).querySelector('form'), 'the close button did not close the form');
    expect(focused(element)).to.equal(query(element, '[part=open-button]'));
  });

  it('as variant="counter" names the campaign and links to where to sign: the sign-url, else the server\'s own page', async () => {
    const element = await widget(
      html`<cohesion-declaration api=${API} variant="counter" partner="sidebar" lang="de"></cohesion-declaration>`,
    );
    await waitFor(() => query(element, '.root').getAttribute('lang') === 'de', 'German did not load');
    await waitFor(() => query(element, '[part=header]').getAttribute('lang') === 'de', 'the German texts did not come');
    expect(query(element, '[part=header] h2').textContent!.trim()).to.equal(
      (await (await fetch(`${API}/api/campaigns/cohesion-alliance?lang=de`)).json()).title,
    );
    const link = query<HTMLAnchorElement>(element, '[part=sign-link]');
    expect(link.textContent!.trim()).to.equal('Erklärung unterzeichnen');
    const page = new URL(link.href);
    expect(page.origin + page.pathname).to.equal(`${API}/embed/cohesion-alliance`);
    expect(Object.fromEntries(page.searchParams)).to.deep.equal({ lang: 'de', partner: 'sidebar' });
    await expect(element).to.be.accessible();

    element.setAttribute('sign-url', 'https://partner.example/sign-the-declaration');
    await element.updateComplete;
    expect(link.href).to.equal('https://partner.example/sign-the-declaration');
  });

  it("sizes itself from the visitor's own font-size setting, not the page's, unless the theme sets a size", async () => {
    await executeServerCommand('default-font-size', 20);
    const host = addStyle('html { font-size: 10px } body { font-size: 12px }');
    try {
      const element = await widget();
      expect(getComputedStyle(query(element, '.root')).fontSize).to.equal('20px');
      element.style.setProperty('--cohesion-font-size', '15px');
      expect(getComputedStyle(query(element, '.root')).fontSize).to.equal('15px');
    } finally {
      host.remove();
      await executeServerCommand('default-font-size', 16);
    }
  });
});
