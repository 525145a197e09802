import { expect, fixture, fixtureCleanup, html, oneEvent } from '@open-wc/testing';
import '../../widget/cohesion-declaration.js';
import type { CohesionDeclaration } from '../../widget/cohesion-declaration.js';
import { allLocales, matchLocale, resolveLocale } from '../../widget/localization.js';
import { API, fillValidIndividual, loaded, query, reduceMotion, shadow, submitButton, uniqueEmail, waitFor } from './support/helpers.js';

/** Words that are the same in every language: names of networks and of the campaign. */
const PROPER_NOUNS = new Set(['X', 'Facebook', 'LinkedIn', 'Bluesky', 'Mastodon', 'WhatsApp', 'Email', '#CohesionAlliance']);

/** Every piece of text a visitor can see or hear, by where it is, except the language picker. */
function visibleTexts(element: HTMLElement): Map<string, string> {
  const texts = new Map<string, string>();
  const root = shadow(element);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent!.replace(/\s+/g, ' ').trim();
    if (!text || /^[\d\s.,·:%\u00a0\u202f-]+$/.test(text)) continue;
    const parent = node.parentElement!;
    // Language names are the same in every language by design; country names come from the
    // browser's Intl.DisplayNames, not from our translations.
    if (parent.closest('[part=language]') || parent.closest('[aria-hidden=true]')) continue;
    if (parent.closest('[name=country]') && /^[A-Z]{2}$/.test((parent as HTMLOptionElement).value)) continue;
    texts.set(`${path(parent)}#${texts.size}`, text);
  }
  return texts;
}

const path = (element: Element): string =>
  element.parentElement ? `${path(element.parentElement)}>${element.localName}` : element.localName;

async function widgetIn(lang: string) {
  const element = await fixture<CohesionDeclaration>(html`<cohesion-declaration api=${API} lang=${lang}></cohesion-declaration>`);
  await loaded(element);
  await waitFor(() => query(element, '.root').getAttribute('lang') === lang, `${lang} did not load`);
  return element;
}

/** The texts of the empty form and of the form after a failed submit, all errors showing. */
async function formTexts(element: CohesionDeclaration) {
  const empty = [...visibleTexts(element).values()];
  submitButton(element).click();
  await waitFor(() => shadow(element).querySelector('[part=error-summary]'), 'no error summary');
  return [...empty, ...visibleTexts(element).values()];
}

describe('languages', () => {
  afterEach(() => fixtureCleanup());

  it('offers the 24 official EU languages and Catalan, Basque and Galician', () => {
    expect([...allLocales].sort()).to.deep.equal(
      'bg ca cs da de el en es et eu fi fr ga gl hr hu it lt lv mt nl pl pt ro sk sl sv'.split(' '),
    );
  });

  describe('each language', () => {
    let english: Set<string>;

    before(async () => {
      english = new Set(await formTexts(await widgetIn('en')));
      fixtureCleanup();
    });

    for (const locale of allLocales.filter((l) => l !== 'en')) {
      it(`${locale}: no English left, axe-clean, and it signs`, async () => {
        const element = await widgetIn(locale);
        const texts = await formTexts(element);
        const untranslated = texts.filter((text) => english.has(text) && !PROPER_NOUNS.has(text));
        expect(untranslated, `English strings in ${locale}`).to.deep.equal([]);
        expect(query(element, '[part=header]').getAttribute('lang')).to.equal(locale);
        await expect(element).to.be.accessible();

        await fillValidIndividual(element, uniqueEmail());
        const signed = oneEvent(element, 'cohesion-signed');
        submitButton(element).click();
        await signed;
        await waitFor(() => shadow(element).querySelector('[part=thanks]'), 'no thank-you state');
        const thanks = [...visibleTexts(element).values()].filter((t) => english.has(t) && !PROPER_NOUNS.has(t));
        expect(thanks, `English strings after signing in ${locale}`).to.deep.equal([]);
      });
    }
  });

  describe('choosing the language', () => {
    it('matches regional tags to their language and ignores unknown ones', () => {
      expect(matchLocale('de-AT')).to.equal('de');
      expect(matchLocale('pt-BR')).to.equal('pt');
      expect(matchLocale('GA')).to.equal('ga');
      expect(matchLocale('eu-ES')).to.equal('eu');
      expect(matchLocale('zh-CN')).to.be.undefined;
      expect(matchLocale('')).to.be.undefined;
    });

    it("takes the element's own lang first, then the nearest lang in the page, then the browser's, then English", async () => {
      const container = await fixture<HTMLElement>(
        html`<section lang="fi"><div><cohesion-declaration api=${API} lang="sv"></cohesion-declaration></div></section>`,
      );
      const element = container.querySelector('cohesion-declaration')!;
      expect(resolveLocale(element)).to.equal('sv');
      element.removeAttribute('lang');
      expect(resolveLocale(element)).to.equal('fi');
      container.setAttribute('lang', 'xx-unknown');
      const page = document.documentElement;
      const pageLang = page.getAttribute('lang');
      page.removeAttribute('lang');
      try {
        const fromBrowser = resolveLocale(element);
        const expected = navigator.languages.map(matchLocale).find(Boolean) ?? 'en';
        expect(fromBrowser).to.equal(expected);
        container.setAttribute('lang', 'tlh');
        expect(resolveLocale(element)).to.equal(expected);
      } finally {
        page.setAttribute('lang', pageLang!);
      }
    });

    it('falls back to English, without an error, for a language it does not have', async () => {
      const errors: unknown[] = [];
      const element = await fixture<CohesionDeclaration>(html`<cohesion-declaration api=${API} lang="tlh"></cohesion-declaration>`);
      element.addEventListener('cohesion-error', (event) => errors.push(event.detail));
      await loaded(element);
      // The page is English here; with the page in another language that one would win.
      expect(query(element, '.root').getAttribute('lang')).to.equal('en');
      expect(errors).to.deep.equal([]);
    });

    it("follows a change of the page's <html lang>", async () => {
      const element = await fixture<CohesionDeclaration>(html`<cohesion-declaration api=${API}></cohesion-declaration>`);
      await loaded(element);
      const page = document.documentElement;
      page.setAttribute('lang', 'it');
      try {
        await waitFor(() => query(element, '.root').getAttribute('lang') === 'it', 'did not follow <html lang>');
      } finally {
        page.setAttribute('lang', 'en');
      }
      await waitFor(() => query(element, '.root').getAttribute('lang') === 'en', 'did not come back to English');
    });
  });

  it('switches a live element at once: every string, the number format and the country names', async () => {
    expect(await reduceMotion(true)).to.equal(true);
    const element = await widgetIn('en');
    const englishTexts = [...visibleTexts(element).values()];
    const countText = () => query(element, '[part=counter] .count').textContent!;
    const bulgaria = () => query(element, '[name=country] option[value=BG]').textContent!.trim();
    expect(bulgaria()).to.equal('Bulgaria');

    element.lang = 'de';
    await waitFor(() => query(element, '.root').getAttribute('lang') === 'de', 'did not switch');
    // The campaign's texts carry their own lang, which stays `en` until the German ones arrive.
    await waitFor(() => query(element, '[part=header]').getAttribute('lang') === 'de', 'the content did not switch');
    expect(bulgaria()).to.equal('Bulgarien');
    const germanTexts = [...visibleTexts(element).values()];
    expect(germanTexts.filter((t) => englishTexts.includes(t) && !PROPER_NOUNS.has(t))).to.deep.equal([]);
    const count = Number(countText().replace(/\D/g, ''));
    expect(countText()).to.equal(new Intl.NumberFormat('de').format(count));

    // The language picker does the same.
    const picker = query<HTMLSelectElement>(element, '[part=language]');
    picker.value = 'fr';
    picker.dispatchEvent(new Event('change'));
    await waitFor(() => query(element, '.root').getAttribute('lang') === 'fr', 'the picker did not switch');
    expect(bulgaria()).to.equal('Bulgarie');
    await reduceMotion(false);
  });

  it("keeps the counter's lines on one line each in a 250 px sidebar, in every language", async () => {
    const wrapped: string[] = [];
    for (const lang of allLocales) {
      const element = await fixture<CohesionDeclaration>(
        html`<cohesion-declaration api=${API} lang=${lang} variant="counter" partner="sidebar" style="inline-size: 250px"></cohesion-declaration>`,
      );
      await loaded(element);
      await waitFor(() => query(element, '.root').getAttribute('lang') === lang, `${lang} did not load`);
      // Every line of text: the count, the goal, the partner's count, the pause button.
      await waitFor(() => query(element, '[part=counter] .goal').textContent!.trim(), 'no goal');
      for (const line of shadow(element).querySelectorAll<HTMLElement>('[part=counter] > :not(.bar)')) {
        // Wrapped: taller than the same text kept on one line.
        const height = line.getBoundingClientRect().height;
        line.style.whiteSpace = 'nowrap';
        const oneLine = line.getBoundingClientRect().height;
        line.style.whiteSpace = '';
        if (height > oneLine + 1) wrapped.push(`${lang}: ${line.textContent!.trim()}`);
      }
    }
    expect(wrapped).to.deep.equal([]);
  });

  it('names each language in the picker by its own name', async () => {
    const element = await widgetIn('en');
    const options = [...query<HTMLSelectElement>(element, '[part=language]').options];
    expect(options).to.have.length(27);
    const name = (code: string) => options.find((o) => o.value === code)!.textContent!.trim();
    expect(name('de')).to.equal('Deutsch');
    expect(name('bg')).to.equal('български');
    expect(name('ga')).to.equal('Gaeilge');
    expect(options.every((o) => o.getAttribute('lang') === o.value)).to.be.true;
  });
});
