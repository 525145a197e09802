import { expect, fixture, html } from '@open-wc/testing';
import '../../widget/cohesion-declaration.js';
import {
  API,
  adminFetch,
  approveWallEntries,
  fillValidIndividual,
  loaded,
  setField,
  shadow,
  submitButton,
  uniqueEmail,
  waitFor,
} from './support/helpers.js';

/** Signs through the real API, as a visitor who chose (or not) to be listed. */
async function sign(name: string, listPublicly: boolean, extra: Record<string, unknown> = {}) {
  const response = await fetch(`${API}/api/campaigns/cohesion-alliance/signatures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ signerType: 'individual', name, country: 'AT', email: uniqueEmail(), consent: true, listPublicly, ...extra }),
  });
  expect(response.status).to.equal(201);
}

describe('variant="supporters": the public wall', () => {
  const run = Date.now().toString(36);
  const listed = Array.from({ length: 26 }, (_, i) => `Wall ${run} ${String(i).padStart(2, '0')}`);

  before(async () => {
    await sign(`Hidden ${run}`, false);
    for (const name of listed.slice(0, -1)) await sign(name, true);
    await sign(listed.at(-1)!, true, { signerType: 'representative', role: 'Mayor', organisation: `Town ${run}` });
    // A representative is listed once an organiser approves it.
    await approveWallEntries();
  });

  it('lists those who chose to be listed, newest first, with role, organisation and country, never an email', async () => {
    const element = await fixture<HTMLElement>(
      html`<cohesion-declaration api=${API} variant="supporters" lang="en"></cohesion-declaration>`,
    );
    await waitFor(() => shadow(element).querySelectorAll('[part=supporter]').length >= 24, 'the wall did not load');
    const shown = shadow(element).querySelectorAll<HTMLElement>('[part=supporter]');
    expect(shown[0]!.textContent).to.contain(listed.at(-1)!);
    expect(shown[0]!.textContent).to.contain(`Mayor, Town ${run}, Austria`);
    expect(shown[0]!.querySelector('[part=signer-type]')!.textContent, 'who signed for an office is marked so').to.equal(
      'Elected representative',
    );
    expect(shown[1]!.querySelector('[part=signer-type]'), 'an individual is not marked').to.equal(null);
    expect(shown[1]!.textContent).to.contain(listed.at(-2)!);
    const text = shadow(element).textContent!;
    expect(text).not.to.contain(`Hidden ${run}`);
    expect(text).not.to.contain('@');
    expect(shadow(element).querySelector('h2')!.textContent).to.equal('Who has signed');
    await expect(element).to.be.accessible();
  });

  it('shows one kind of signer only with signer-type', async () => {
    const element = await fixture<HTMLElement>(
      html`<cohesion-declaration api=${API} variant="supporters" signer-type="representative" lang="en"></cohesion-declaration>`,
    );
    await waitFor(() => shadow(element).querySelector('[part=supporter]'), 'the wall did not load');
    const marks = [...shadow(element).querySelectorAll('[part=supporter] [part=signer-type]')].map((mark) => mark.textContent);
    expect(marks.length).to.equal(shadow(element).querySelectorAll('[part=supporter]').length);
    expect(new Set(marks)).to.deep.equal(new Set(['Elected representative']));
    expect(shadow(element).textContent).to.contain(listed.at(-1)!);
  });

  it('shows more on request and moves focus to the first supporter it added', async () => {
    const element = await fixture<HTMLElement>(
      html`<cohesion-declaration api=${API} variant="supporters" lang="en"></cohesion-declaration>`,
    );
    await waitFor(() => shadow(element).querySelector('[part=more-button]'), 'no "Show more" with more than one page');
    const before = shadow(element).querySelectorAll('[part=supporter]').length;
    expect(before).to.equal(24);
    shadow(element).querySelector<HTMLButtonElement>('[part=more-button]')!.click();
    await waitFor(() => shadow(element).querySelectorAll('[part=supporter]').length > before, 'the next page did not come');
    const items = [...shadow(element).querySelectorAll('[part=supporter]')];
    expect(shadow(element).activeElement).to.equal(items[before]);
    const texts = items.map((item) => item.textContent!);
    for (const name of listed) expect(texts.filter((t) => t.includes(name)).length, name).to.equal(1);
    await expect(element).to.be.accessible();
  });

  it('speaks the page language: German heading and country names', async () => {
    const element = await fixture<HTMLElement>(
      html`<cohesion-declaration api=${API} variant="supporters" lang="de"></cohesion-declaration>`,
    );
    await waitFor(() => shadow(element).querySelector('[part=supporter]'), 'the wall did not load');
    await waitFor(() => shadow(element).querySelector('h2')?.textContent !== 'Who has signed', 'the heading stayed English');
    expect(shadow(element).querySelector('[part=supporter]')!.textContent).to.contain('Österreich');
  });

  it("shows a signer their own entry at once, past the minute the wall's answers are cached", async () => {
    const wallNames = async () => {
      const wall = await fixture<HTMLElement>(
        html`<cohesion-declaration api=${API} variant="supporters" lang="en"></cohesion-declaration>`,
      );
      await waitFor(() => shadow(wall).querySelector('[part=supporter]'), 'the wall did not load');
      return shadow(wall).textContent!;
    };
    await wallNames(); // In the browser's cache now, for a minute.
    const form = await fixture<HTMLElement>(html`<cohesion-declaration api=${API} lang="en"></cohesion-declaration>`);
    await loaded(form);
    await fillValidIndividual(form);
    const name = `Just signed ${run}`;
    setField(form, 'name', name);
    setField(form, 'listPublicly', true);
    submitButton(form).click();
    await waitFor(() => shadow(form).querySelector('[part=thanks]'), 'not signed');
    expect(await wallNames()).to.contain(name);
  });
});

describe('variant="partners": the public list of partners', () => {
  const run = Date.now().toString(36);
  const put = (id: string, partner: object) =>
    adminFetch(`/partners/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ origins: [], ...partner }),
    });
  const ids = ['a', 'b', 'c'].map((letter) => `${letter}-${run}`);

  before(async () => {
    // The network is closed here: the logo is not fetched, only its address is checked.
    const logo = 'https://logo.example.org/logo.svg';
    for (const response of await Promise.all([
      put(ids[0]!, { name: `Second ${run}`, listed: true, position: 2, url: 'https://second.example.org/' }),
      put(ids[1]!, { name: `First ${run}`, listed: true, position: 1, logo }),
      put(ids[2]!, { name: `Unlisted ${run}` }),
    ]))
      expect(response.status).to.equal(200);
  });
  after(() => Promise.all(ids.map((id) => adminFetch(`/partners/${id}`, { method: 'DELETE' }))));

  it("lists the listed partners in the organisers' order, named, linked where they have a website; axe-clean", async () => {
    const element = await fixture<HTMLElement>(html`<cohesion-declaration api=${API} variant="partners" lang="en"></cohesion-declaration>`);
    await waitFor(() => shadow(element).querySelector('[part=partner]'), 'the list did not load');
    const names = [...shadow(element).querySelectorAll('[part=partner]')]
      .map((item) => item.textContent!.trim())
      .filter((name) => name.endsWith(run));
    expect(names).to.deep.equal([`First ${run}`, `Second ${run}`]);
    expect(shadow(element).querySelector('h2')!.textContent).to.equal('Partners');
    const link = [...shadow(element).querySelectorAll<HTMLAnchorElement>('[part=partner] a')].find((a) =>
      a.textContent!.includes(`Second ${run}`),
    )!;
    expect(link.href).to.equal('https://second.example.org/');
    const image = [...shadow(element).querySelectorAll<HTMLImageElement>('[part=partner] img')].find((img) =>
      img.parentElement!.textContent!.includes(`First ${run}`),
    )!;
    expect(image.alt, 'the name says it').to.equal('');
    expect(image.src).to.equal('https://logo.example.org/logo.svg');
    await expect(element).to.be.accessible();
  });

  it('speaks the page language', async () => {
    const element = await fixture<HTMLElement>(html`<cohesion-declaration api=${API} variant="partners" lang="de"></cohesion-declaration>`);
    await waitFor(() => shadow(element).querySelector('h2')?.textContent === 'Partner', 'the heading is not German');
  });
});
