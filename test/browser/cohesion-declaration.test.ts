import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../widget/cohesion-declaration.js';
import type { CohesionDeclaration } from '../../widget/cohesion-declaration.js';
import {
  API,
  chooseSignerType,
  countValue,
  expectConsoleError,
  fillValidIndividual,
  focused,
  json,
  loaded,
  query,
  serverCount,
  setField,
  shadow,
  stubPost,
  submitButton,
  tabTo,
  uniqueEmail,
  waitFor,
} from './support/helpers.js';

async function widget(partner = 'test-partner') {
  const element = await fixture<CohesionDeclaration>(html`<cohesion-declaration api=${API} partner=${partner}></cohesion-declaration>`);
  await loaded(element);
  return element;
}

const errorOf = (element: HTMLElement, field: string) => shadow(element).querySelector(`#${field}-error`);

describe('<cohesion-declaration>', () => {
  it('bundled into another script (as here) and given no api, does not guess: a config error, one console message naming api', async () => {
    const errors: CustomEvent[] = [];
    const onError = (event: Event) => errors.push(event as CustomEvent);
    document.addEventListener('cohesion-error', onError);
    const requests = performance.getEntriesByType('resource').length;
    expectConsoleError(/set its `api` attribute/);
    try {
      const element = await fixture<CohesionDeclaration>(html`<cohesion-declaration></cohesion-declaration>`);
      expect(errors.map((event) => event.detail)).to.deep.equal([{ kind: 'config' }]);
      expect(errors[0]!.target).to.equal(element);
      // Nothing asked of the page's own server.
      expect(
        performance
          .getEntriesByType('resource')
          .slice(requests)
          .map((entry) => entry.name),
      ).to.deep.equal([]);
      expect(query(element, '[part=header] .problem').textContent).to.contain('could not be loaded');
    } finally {
      document.removeEventListener('cohesion-error', onError);
    }
  });

  it('shows the campaign from the server: title, introduction, the declaration behind an expander, the count', async () => {
    const element = await widget();
    // As the server has it now, past what an earlier test left in the browser's cache.
    const campaign = await (await fetch(`${API}/api/campaigns/cohesion-alliance?lang=en`, { cache: 'no-store' })).json();
    expect(query(element, 'h2').textContent).to.equal(campaign.title);
    expect(query(element, '[part=header] > p').textContent).to.equal(campaign.introduction);
    const details = query<HTMLDetailsElement>(element, 'details[part=declaration]');
    expect(details.open).to.be.false;
    expect(details.querySelectorAll('.declaration p').length).to.equal(campaign.declaration.length);
    // The campaign's answer may come from the browser's cache; the live feed then brings today's count.
    await waitFor(() => countValue(element) === campaign.count, `the count is not the server's ${campaign.count}`);
  });

  it('marks the fields each kind of signer must fill in as required, and only those', async () => {
    const element = await widget();
    const required = () =>
      [...shadow(element).querySelectorAll<HTMLInputElement>('form [name]')]
        .filter((control) => control.required)
        .map((control) => control.name);
    expect(required()).to.deep.equal(['name', 'country', 'email', 'consent']);
    await chooseSignerType(element, 'organisation');
    await element.updateComplete;
    expect(required()).to.deep.equal(['name', 'organisation', 'organisationKind', 'country', 'email', 'consent']);
    await chooseSignerType(element, 'representative');
    await element.updateComplete;
    // The organisation is optional for a representative.
    expect(required()).to.deep.equal(['name', 'role', 'country', 'email', 'consent']);
  });

  it('has the standard names and autocomplete tokens on its controls', async () => {
    const element = await widget();
    await chooseSignerType(element, 'representative');
    await element.updateComplete;
    const autocomplete = (name: string) => query(element, `[name=${name}]`).getAttribute('autocomplete');
    expect(autocomplete('name')).to.equal('name');
    expect(autocomplete('organisation')).to.equal('organization');
    expect(autocomplete('role')).to.equal('organization-title');
    expect(autocomplete('country')).to.equal('country');
    expect(autocomplete('email')).to.equal('email');
    expect(query<HTMLInputElement>(element, '[name=consent]').type).to.equal('checkbox');
    expect(query<HTMLInputElement>(element, '[name=newsletter]').checked).to.be.false;
    expect(query<HTMLInputElement>(element, '[name=listPublicly]').checked).to.be.false;
    const radios = [...shadow(element).querySelectorAll<HTMLInputElement>('[name=signerType]')].map((r) => r.value);
    expect(radios).to.deep.equal(['individual', 'organisation', 'representative']);
  });

  it('lists the 27 member states by name, then "other", with ISO codes as values', async () => {
    const element = await widget();
    const options = [...query<HTMLSelectElement>(element, '[name=country]').options].map((o) => o.value);
    expect(options[0]).to.equal('');
    expect(options.length).to.equal(29);
    expect(options.at(-1)).to.equal('other');
    expect(options).to.include.members(['BG', 'DE', 'GR', 'FR']);
    const bulgaria = query<HTMLSelectElement>(element, '[name=country]').querySelector('option[value=BG]');
    expect(bulgaria!.textContent).to.equal('Bulgaria');
  });

  it('asks for an organisation and its kind only from organisations, and for a role from representatives', async () => {
    const element = await widget();
    expect(shadow(element).querySelector('[name=organisation]')).to.be.null;
    await chooseSignerType(element, 'organisation');
    await element.updateComplete;
    expect(shadow(element).querySelector('[name=organisation]')).to.exist;
    expect(shadow(element).querySelector('[name=organisationKind]')).to.exist;
    expect(shadow(element).querySelector('[name=role]')).to.be.null;
    await chooseSignerType(element, 'representative');
    await element.updateComplete;
    expect(shadow(element).querySelector('[name=role]')).to.exist;
    expect(shadow(element).querySelector('[name=organisationKind]')).to.be.null;
  });

  it('is axe-clean while empty', async () => {
    const element = await widget();
    await expect(element).to.be.accessible();
  });

  it('shows no error while the visitor is still typing, only once a changed field is left', async () => {
    const element = await widget();
    const email = query<HTMLInputElement>(element, '[name=email]');
    // Real key presses, so focus moves (and the form's checks load) as they do for a visitor.
    query<HTMLInputElement>(element, '[name=name]').focus();
    await tabTo(element, '[name=email]');
    await sendKeys({ type: 'not-an-email' });
    await element.updateComplete;
    expect(email.value).to.equal('not-an-email');
    expect(errorOf(element, 'email')).to.be.null;

    await sendKeys({ press: 'Tab' }); // leaving the field
    await waitFor(() => errorOf(element, 'email'), 'no error after leaving the field');
    expect(email.getAttribute('aria-invalid')).to.equal('true');
    expect(email.getAttribute('aria-describedby')).to.contain('email-error');
    // A field only visited, never changed, stays quiet.
    expect(errorOf(element, 'name')).to.be.null;
  });

  it('on a failed submit lists every problem in a summary that takes focus, and sends nothing', async () => {
    const element = await widget();
    const stub = stubPost(() => json(500, {}));
    try {
      submitButton(element).click();
      await waitFor(() => shadow(element).querySelector('[part=error-summary]'), 'no error summary');
      const summary = query(element, '[part=error-summary]');
      expect(focused(element)).to.equal(summary);
      const problems = [...summary.querySelectorAll('a')].map((a) => a.getAttribute('href'));
      expect(problems).to.deep.equal(['#name', '#country', '#email', '#consent']);
      for (const field of ['name', 'country', 'email', 'consent']) {
        expect(query(element, `#${field}`).getAttribute('aria-describedby')).to.contain(`${field}-error`);
      }
      expect(stub.posts).to.have.length(0);
      await expect(element).to.be.accessible();

      // A link in the summary takes the visitor to the field.
      (summary.querySelector('a[href="#email"]') as HTMLElement).click();
      expect(focused(element)).to.equal(query(element, '#email'));
    } finally {
      stub.restore();
    }
  });

  it('signs by keyboard alone, says thank you, and the count rises', async () => {
    const element = await widget();
    const before = countValue(element);
    await tabTo(element, '[name=name]');
    await sendKeys({ type: 'Eleni Papadopoulou' });
    await tabTo(element, '[name=country]');
    await sendKeys({ type: 'Greece' });
    await tabTo(element, '[name=email]');
    await sendKeys({ type: uniqueEmail() });
    await tabTo(element, '[name=consent]');
    await sendKeys({ press: 'Space' });
    await tabTo(element, '[part=submit-button]');
    const signed = oneEvent(element, 'cohesion-signed');
    await sendKeys({ press: 'Enter' });

    const event = await signed;
    expect(event.detail).to.deep.equal({ campaign: 'cohesion-alliance', partner: 'test-partner', status: 'counted' });
    await waitFor(() => shadow(element).querySelector('[part=thanks]'), 'no thank-you state');
    // The thanks is said once: by its heading, which takes focus; the status region, which said "Signing…", is quiet.
    expect(focused(element)).to.equal(query(element, '[part=thanks] h3'));
    await waitFor(() => query(element, '[role=status]').textContent!.trim() === '', 'the status region still speaks');
    await expect(element).to.be.accessible();

    // Other test files sign too: the count shown is the server's, and at least one higher.
    const stored = await serverCount();
    await waitFor(() => countValue(element) >= stored, "the count shown is behind the server's");
    expect(stored).to.be.greaterThan(before);
  });

  it('offers sharing after signing: plain links with the hashtag and this page, no third-party script', async () => {
    const element = await widget();
    const scriptsBefore = document.scripts.length;
    await fillValidIndividual(element);
    const signed = oneEvent(element, 'cohesion-signed');
    submitButton(element).click();
    await signed;
    await waitFor(() => shadow(element).querySelector('[part=share]'), 'no share step');
    const links = [...shadow(element).querySelectorAll<HTMLAnchorElement>('[part=share] a')];
    const byName = new Map(links.map((a) => [a.textContent!.trim(), a]));
    for (const name of ['X', 'Facebook', 'LinkedIn', 'Bluesky', 'Mastodon', 'WhatsApp', 'Email']) {
      expect(byName.has(name), name).to.be.true;
    }
    const page = location.origin + location.pathname;
    expect(decodeURIComponent(byName.get('X')!.href))
      .to.contain('#CohesionAlliance')
      .and.contain(page);
    expect(decodeURIComponent(byName.get('WhatsApp')!.href)).to.contain(page);
    expect(byName.get('Email')!.href).to.match(/^mailto:\?subject=/);
    for (const link of links.filter((a) => !a.href.startsWith('mailto:'))) {
      expect(link.target).to.equal('_blank');
      expect(link.rel).to.contain('noopener');
    }
    const copy = shadow(element).querySelector<HTMLButtonElement>('[part=share] button')!;
    expect(copy.textContent).to.contain('Copy link');
    expect(document.scripts.length).to.equal(scriptsBefore);
    copy.click();
    await waitFor(() => query(element, '[role=status]').textContent!.trim() === 'Link copied', 'the copy is not announced');
    await expect(element).to.be.accessible();
  });

  it('sends once however often the button is clicked', async () => {
    const element = await widget();
    await fillValidIndividual(element);
    const realFetch = window.fetch;
    let posts = 0;
    window.fetch = (input, init) => {
      if (init?.method === 'POST') posts++;
      return realFetch(input, init);
    };
    try {
      const signed = oneEvent(element, 'cohesion-signed');
      submitButton(element).click();
      submitButton(element).click();
      submitButton(element).click();
      await signed;
      expect(posts).to.equal(1);
    } finally {
      window.fetch = realFetch;
    }
  });

  it('marks the button busy while sending, and says "Signing…" in the status region', async () => {
    const element = await widget();
    await fillValidIndividual(element);
    let answer!: (response: Response) => void;
    const stub = stubPost(() => new Promise((resolve) => (answer = resolve)));
    try {
      submitButton(element).click();
      await waitFor(() => submitButton(element).getAttribute('aria-busy') === 'true', 'not busy');
      await waitFor(() => stub.posts.length === 1, 'nothing sent');
      expect(submitButton(element).getAttribute('aria-busy')).to.equal('true');
      expect(query(element, '[role=status]').textContent!.trim()).to.equal('Signing…');
      answer(new Response(JSON.stringify({ status: 'pending' }), { status: 202 }));
      await waitFor(() => shadow(element).querySelector('[part=thanks]'), 'no thank-you state');
      expect(query(element, '[part=thanks]').textContent).to.contain('check your email');
    } finally {
      stub.restore();
    }
  });

  it('keeps what the visitor typed when the network fails, and retries', async () => {
    const element = await widget();
    const email = await fillValidIndividual(element);
    const stub = stubPost(() => Promise.reject(new TypeError('Failed to fetch')));
    const failed = oneEvent(element, 'cohesion-error');
    submitButton(element).click();
    expect((await failed).detail.kind).to.equal('network');
    await element.updateComplete;
    expect(query(element, '[role=alert]').textContent).to.contain('connection');
    expect(query<HTMLInputElement>(element, '[name=email]').value).to.equal(email);
    expect(query<HTMLInputElement>(element, '[name=name]').value).to.equal('Maria Ivanova');

    stub.restore();
    const signed = oneEvent(element, 'cohesion-signed');
    query(element, '[role=alert] button').click();
    await signed;
  });

  it('signs on a page whose address is long once percent-encoded: the page as it reads, or none, never a silent button', async () => {
    const home = location.href;
    const stub = stubPost(() => json(201, { status: 'counted', count: 1 }));
    /** The page a signature made on `path` carries. */
    const sentPage = async (path: string) => {
      history.replaceState(null, '', path);
      const element = await widget();
      await fillValidIndividual(element);
      submitButton(element).click();
      await waitFor(() => stub.posts.length, 'nothing sent');
      return (JSON.parse(stub.posts.pop()!.body as string) as { page?: string }).page;
    };
    try {
      // A Bulgarian news address of some 90 letters: over 500 characters percent-encoded.
      const headline = 'новини/общината-подписа-декларацията-за-сближаване-на-регионите-в-европа-днес-следобед-в-пловдив';
      expect(encodeURI(headline).length).to.be.greaterThan(500);
      expect(await sentPage(`/${headline}`)).to.equal(`${location.origin}/${headline}`);
      // Too long even as it reads (and with spaces, which a page address may not hold): none.
      expect(await sentPage(`/${'дълго заглавие '.repeat(40)}`)).to.equal(undefined);
    } finally {
      stub.restore();
      history.replaceState(null, '', home);
    }
  });

  it('shows an alert and fires cohesion-error for an invalid answer about a field the visitor cannot see', async () => {
    const element = await widget();
    await fillValidIndividual(element);
    const stub = stubPost(() => json(400, { error: 'invalid_fields', fields: { page: 'too_long' } }));
    try {
      const failed = oneEvent(element, 'cohesion-error');
      submitButton(element).click();
      expect((await failed).detail).to.include({ kind: 'invalid', status: 400 });
      await waitFor(() => shadow(element).querySelector('[part=form] [role=alert]'), 'no alert');
      await expect(element).to.be.accessible();
    } finally {
      stub.restore();
    }
  });

  it('says which field is too long and its limit, in the summary as next to the field', async () => {
    const element = await widget();
    await fillValidIndividual(element);
    await chooseSignerType(element, 'representative');
    await element.updateComplete;
    setField(element, 'role', 'r'.repeat(121));
    submitButton(element).click();
    await waitFor(() => shadow(element).querySelector('[part=error-summary]'), 'no summary');
    expect(errorOf(element, 'role')!.textContent!.trim()).to.equal('Role or office: at most 120 characters.');
    expect(query(element, '[part=error-summary] li').textContent!.trim()).to.equal('Role or office: at most 120 characters.');
  });

  it("puts the server's field errors on the fields", async () => {
    const element = await widget();
    await fillValidIndividual(element);
    const stub = stubPost(() => json(400, { error: 'invalid_fields', fields: { email: 'invalid_email', name: 'too_long' } }));
    try {
      submitButton(element).click();
      await waitFor(() => errorOf(element, 'email'), 'server error not shown');
      expect(errorOf(element, 'email')!.textContent).to.contain('name@example.org');
      // Named with the field's label and its limit.
      expect(errorOf(element, 'name')!.textContent!.trim()).to.equal('Full name: at most 120 characters.');
      expect(focused(element)).to.equal(query(element, '[part=error-summary]'));
      // Changing the field clears the server's verdict on it.
      setField(element, 'email', 'maria@example.org');
      await element.updateComplete;
      expect(errorOf(element, 'email')).to.be.null;
    } finally {
      stub.restore();
    }
  });

  it('says when to try again after too many attempts', async () => {
    const element = await widget();
    await fillValidIndividual(element);
    const stub = stubPost(() => json(429, { error: 'rate_limited' }, { 'retry-after': '120' }));
    try {
      submitButton(element).click();
      await waitFor(() => shadow(element).querySelector('[role=alert]'), 'no message');
      expect(query(element, '[role=alert]').textContent).to.contain('2 min');
    } finally {
      stub.restore();
    }
  });

  it('says plainly when the server fails', async () => {
    const element = await widget();
    await fillValidIndividual(element);
    const stub = stubPost(() => json(503, { error: 'internal' }));
    try {
      const failed = oneEvent(element, 'cohesion-error');
      submitButton(element).click();
      expect((await failed).detail).to.deep.equal({ kind: 'server', status: 503 });
      await element.updateComplete;
      expect(query(element, '[role=alert]').textContent).to.contain('went wrong on our side');
    } finally {
      stub.restore();
    }
  });

  it('asks to try again in a minute, keeping what was typed, while the server cannot store signatures', async () => {
    const element = await widget();
    const email = await fillValidIndividual(element);
    const stub = stubPost(() =>
      json(503, { error: 'store_unavailable', message: 'The signatures cannot be stored just now.' }, { 'retry-after': '60' }),
    );
    try {
      const failed = oneEvent(element, 'cohesion-error');
      submitButton(element).click();
      expect((await failed).detail).to.deep.equal({ kind: 'unavailable', status: 503 });
      await element.updateComplete;
      expect(query(element, '[role=alert]').textContent).to.contain('try again in a minute');
      expect(query<HTMLInputElement>(element, '[name=email]').value).to.equal(email);
      expect(query<HTMLInputElement>(element, '[name=name]').value).to.equal('Maria Ivanova');
      await expect(element).to.be.accessible();
    } finally {
      stub.restore();
    }
  });

  it('changes language on an explicit choice only, not on each arrow key over the closed picker (WCAG 3.2.2)', async () => {
    const element = await widget();
    const picker = query<HTMLSelectElement>(element, '[part=language]');
    const root = query(element, '.root');
    picker.focus();
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await element.updateComplete;
    // The picker shows the language the arrows reached; the element still speaks English.
    expect(picker.value).not.to.equal('en');
    expect(root.getAttribute('lang')).to.equal('en');
    const chosen = picker.value;
    await sendKeys({ press: 'Enter' });
    await waitFor(() => root.getAttribute('lang') === chosen, 'Enter did not choose the language');

    // Leaving the picker chooses too.
    picker.focus();
    await sendKeys({ press: 'ArrowUp' });
    const next = picker.value;
    expect(root.getAttribute('lang')).to.equal(chosen);
    await sendKeys({ press: 'Tab' });
    await waitFor(() => root.getAttribute('lang') === next, 'leaving the picker did not choose the language');
    element.lang = 'en';
    await waitFor(() => root.getAttribute('lang') === 'en', 'did not switch back');
  });

  it('asks each kind of signer to agree to the text for them, and says what the public list would show of them', async () => {
    const element = await widget();
    const campaign = await (await fetch(`${API}/api/campaigns/cohesion-alliance?lang=en`)).json();
    const consent = () => query(element, '#consent').closest('label')!.textContent!.trim();
    const listLabel = () => query(element, '[name=listPublicly]').closest('label')!.textContent!.trim();
    expect(consent()).to.equal(campaign.consentTexts.individual);
    expect(consent()).not.to.match(/organisation/i);
    expect(listLabel()).to.equal('Show my name and country in the public list of supporters (optional)');
    await chooseSignerType(element, 'organisation');
    expect(consent()).to.equal(campaign.consentTexts.organisation);
    expect(listLabel()).to.equal('Show my name, organisation and country in the public list of supporters (optional)');
    await chooseSignerType(element, 'representative');
    expect(consent()).to.equal(campaign.consentTexts.representative);
    expect(consent()).to.match(/role/);
    expect(listLabel()).to.equal('Show my name, role, organisation and country in the public list of supporters (optional)');
  });

  it('sends the consent version it showed, and when the organisers changed the text, shows the new one to agree to anew', async () => {
    const element = await widget();
    await fillValidIndividual(element);
    const campaignLoads: string[] = [];
    const realFetch = window.fetch;
    const stub = stubPost(() => json(400, { error: 'invalid_fields', fields: { consent: 'consent_changed' } }));
    const stubbed = window.fetch;
    window.fetch = (input, init) => {
      if (!init?.method && /\/api\/campaigns\/[^/]+\?/.test(String(input))) campaignLoads.push(String(input));
      return stubbed(input, init);
    };
    try {
      submitButton(element).click();
      await waitFor(() => errorOf(element, 'consent'), 'no error on the consent');
      expect(JSON.parse(String(stub.posts[0]!.body)).consentVersion).to.equal('2026-11');
      expect(errorOf(element, 'consent')!.textContent).to.contain('has changed');
      expect(query<HTMLInputElement>(element, '#consent').checked, 'to be ticked anew').to.be.false;
      await waitFor(() => campaignLoads.length, 'the campaign did not load again');
    } finally {
      window.fetch = realFetch;
      stub.restore();
    }
  });

  it('cannot be submitted with the stand-in consent text when the campaign did not load', async () => {
    const element = await fixture<CohesionDeclaration>(
      html`<cohesion-declaration api=${API} campaign="no-such-campaign"></cohesion-declaration>`,
    );
    await waitFor(() => shadow(element).querySelector('.intro.problem'), 'the failure to load is not shown');
    await fillValidIndividual(element);
    const stub = stubPost(() => json(201, { status: 'counted', count: 1 }));
    try {
      submitButton(element).click();
      await waitFor(() => errorOf(element, 'consent'), 'no error on the consent');
      expect(errorOf(element, 'consent')!.textContent).to.contain('could not be loaded');
      expect(stub.posts).to.have.length(0);
    } finally {
      stub.restore();
    }
  });

  it('signs for an organisation with its kind', async () => {
    const element = await widget();
    await chooseSignerType(element, 'organisation');
    await element.updateComplete;
    await fillValidIndividual(element);
    submitButton(element).click();
    await waitFor(() => errorOf(element, 'organisation'), 'organisation not required');
    expect(errorOf(element, 'organisationKind')).to.exist;
    setField(element, 'organisation', 'Plovdiv Chamber of Commerce');
    setField(element, 'organisationKind', 'business');
    const signed = oneEvent(element, 'cohesion-signed');
    submitButton(element).click();
    expect((await signed).detail.status).to.equal('counted');
  });
});
