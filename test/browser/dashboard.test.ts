/**
 * The organiser dashboard against the real server with real data: a server of its own (started
 * by test/web-test-runner.config.mjs with an ADMIN_TOKEN and a fresh store), seeded through the
 * public signing API. The admin API answers only its own origin, so the dashboard reaches it
 * through the test runner's same-origin proxy (test/support/same-origin-proxy.mjs), as it would
 * behind a reverse proxy; the last tests load the server's own /admin page the same way.
 */
import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../dashboard/organiser-dashboard.js';
import type { CohesionDashboard } from '../../dashboard/organiser-dashboard.js';
import { everyDay, labelEvery, niceStep } from '../../dashboard/dashboard-chart.js';
import { countryName } from '../../dashboard/dashboard-breakdown.js';
// Fails a test on a console error, an uncaught error or an unhandled rejection.
import { serverCount, submitDashboardToken, waitFor } from './support/helpers.js';

interface TestWindow {
  COHESION_ADMIN_API: string;
  COHESION_ADMIN_PROXY: string;
  COHESION_NO_ADMIN_PROXY: string;
  COHESION_ADMIN_TOKEN: string;
}
const env = window as unknown as TestWindow;
/** The dashboard's server, straight (for public signing, open to every origin). */
const DIRECT = env.COHESION_ADMIN_API;
/** The same server, through the proxy: same origin as this page. */
const ADMIN = `${location.origin}${env.COHESION_ADMIN_PROXY}`;
/** A server with no ADMIN_TOKEN, through the proxy. */
const NO_ADMIN = `${location.origin}${env.COHESION_NO_ADMIN_PROXY}`;
const TOKEN = env.COHESION_ADMIN_TOKEN;
const CAMPAIGN = 'cohesion-alliance';

interface Seed {
  signerType: 'individual' | 'organisation' | 'representative';
  name: string;
  country: string;
  email: string;
  partner?: string;
  organisation?: string;
  organisationKind?: string;
  role?: string;
  listPublicly?: boolean;
}

let serial = 0;
const email = () => `dashboard.${Date.now().toString(36)}.${++serial}@example.org`;
const PLOVDIV = { id: 'plovdiv', name: 'Plovdiv Municipality' };

/** What is in the store and counted: the test's own record, kept as it signs and erases. */
const signed: Seed[] = [];
let seedDay = '';

async function sign(seed: Seed) {
  const response = await fetch(`${DIRECT}/api/campaigns/${CAMPAIGN}/signatures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...seed, consent: true }),
  });
  expect(response.status, await response.clone().text()).to.equal(201);
  signed.push(seed);
}

async function admin(path: string, init: RequestInit = {}) {
  return fetch(`${ADMIN}/api/admin/${path}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${TOKEN}` } });
}

const tally = <K extends keyof Seed>(key: K) => {
  const counts = new Map<Seed[K], number>();
  for (const seed of signed) if (seed[key] !== undefined) counts.set(seed[key], (counts.get(seed[key]) ?? 0) + 1);
  return counts;
};

// ---- finding things inside the dashboard's nested shadow roots ------------------------------------

function findAll<T extends Element = HTMLElement>(root: Element | ShadowRoot | Document, selector: string): T[] {
  const found: T[] = [...root.querySelectorAll<T>(selector)];
  for (const element of root.querySelectorAll('*')) if (element.shadowRoot) found.push(...findAll<T>(element.shadowRoot, selector));
  return found;
}
function find<T extends Element = HTMLElement>(root: Element | ShadowRoot | Document, selector: string): T {
  const element = (root as Element).shadowRoot ? findAll<T>((root as Element).shadowRoot!, selector)[0] : findAll<T>(root, selector)[0];
  if (!element) throw new Error(`nothing matches ${selector}`);
  return element;
}
const maybe = (root: Element, selector: string) => findAll(root.shadowRoot ?? root, selector)[0];
const text = (root: Element, selector: string) => find(root, selector).textContent!.replace(/\s+/g, ' ').trim();

/** The focused element, looking through shadow roots. */
function focused(doc: Document = document): Element | null {
  let active = doc.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** The rows of the table in the section headed `heading`, as [label, count] pairs. */
function tableRows(dashboard: Element, headingId: string): [string, number][] {
  const section = find(dashboard, `#${headingId}`).closest('section')!;
  return [...section.querySelectorAll('tbody tr')].map((row) => [
    row.querySelector('th')!.textContent!.replace(/\s+/g, ' ').trim(),
    Number(row.querySelector('td.number .n')!.textContent!.replace(/\D/g, '')),
  ]);
}

const number = (dashboard: Element, id: string) => Number(text(dashboard, `#${id}`).replace(/\D/g, ''));

function setValue(control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string) {
  control.value = value;
  control.dispatchEvent(new Event(control.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true, composed: true }));
}

async function dashboard(api = ADMIN) {
  return fixture<CohesionDashboard>(html`<cohesion-dashboard api=${api} campaign=${CAMPAIGN}></cohesion-dashboard>`);
}

async function signIn(element: HTMLElement, token = TOKEN) {
  submitDashboardToken(element, token);
  await waitFor(() => maybe(element, '#confirmed'), 'the dashboard did not open');
  // The partner list loads on its own.
  await waitFor(
    () => maybe(element, '#partners-heading') && !findAll(element.shadowRoot!, 'p').some((p) => p.textContent === 'Loading the partners…'),
    'the partners did not load',
  );
}

describe('the organiser dashboard', () => {
  before(async () => {
    const saved = await admin(`partners/${PLOVDIV.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      // Signatures from this page's origin count for Plovdiv.
      body: JSON.stringify({ name: PLOVDIV.name, origins: [location.origin] }),
    });
    expect(saved.status).to.equal(200);
    seedDay = new Date().toISOString().slice(0, 10);
    for (const seed of [
      { signerType: 'individual', name: 'Maria Ivanova', country: 'BG', email: email(), partner: PLOVDIV.id },
      { signerType: 'individual', name: 'Georgi Petrov', country: 'BG', email: email(), partner: PLOVDIV.id },
      { signerType: 'representative', name: 'Elena Dimitrova', role: 'Mayor', country: 'BG', email: email(), partner: PLOVDIV.id },
      {
        signerType: 'organisation',
        name: 'Anna Huber',
        organisation: 'Land Niederdonau',
        organisationKind: 'regional-authority',
        country: 'DE',
        email: email(),
        partner: 'lower-danube',
      },
      {
        signerType: 'organisation',
        name: 'Luc Martin',
        organisation: 'Cohésion Ensemble',
        organisationKind: 'ngo',
        country: 'FR',
        email: email(),
      },
      { signerType: 'individual', name: 'Sam Jones', country: 'other', email: email() },
    ] satisfies Seed[]) {
      await sign(seed);
    }
  });
  beforeEach(() => sessionStorage.clear());
  afterEach(() => {
    fixtureCleanup();
    sessionStorage.clear();
  });

  it('fills the days without signatures, and picks round steps and readable label spacing for the chart', () => {
    expect(
      everyDay([
        { day: '2026-10-30', count: 2 },
        { day: '2026-11-02', count: 5 },
      ]),
    ).to.deep.equal([
      { day: '2026-10-30', count: 2 },
      { day: '2026-10-31', count: 0 },
      { day: '2026-11-01', count: 0 },
      { day: '2026-11-02', count: 5 },
    ]);
    expect([0, 3, 7, 45, 1234].map((max) => niceStep(max))).to.deep.equal([1, 1, 2, 20, 500]);
    expect([80, 30, 10, 3, 0.5].map((slot) => labelEvery(slot))).to.deep.equal([1, 2, 7, 28, 112]);
  });

  it('asks for the token, is axe-clean, and says so when the token is wrong, by keyboard alone', async () => {
    const element = await dashboard();
    await expect(element).to.be.accessible();
    const input = find<HTMLInputElement>(element, '#token');
    expect(input.type).to.equal('password');
    expect(text(element, 'label[for=token]')).to.equal('Admin token');

    input.focus();
    await sendKeys({ type: 'not-the-admin-token-at-all' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => maybe(element, '#token-error'), 'no sign-in error shown');
    expect(text(element, '#token-error')).to.contain('did not accept this token');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(input.getAttribute('aria-describedby')).to.contain('token-error');
    expect(focused()).to.equal(input);
    expect(maybe(element, '#confirmed'), 'still signed out').to.be.undefined;
    expect(sessionStorage.length, 'a refused token is not kept').to.equal(0);
    await expect(element).to.be.accessible();
  });

  it('says the admin API is off, and how to turn it on, on a server without ADMIN_TOKEN, before any token is typed', async () => {
    const element = await dashboard(NO_ADMIN);
    await waitFor(() => maybe(element, '#token-error'), 'no message shown');
    expect(find<HTMLInputElement>(element, '#token').value, 'nothing typed').to.equal('');
    expect(text(element, '#token-error')).to.contain('ADMIN_TOKEN');
    expect(text(element, '#token-error')).to.contain('restart the server');
    await expect(element).to.be.accessible();
  });

  it('signs in, keeps the token for this tab only, and shows totals and breakdowns as signed; axe-clean', async () => {
    const element = await dashboard();
    await signIn(element);
    expect(focused(), 'focus moves to the dashboard').to.equal(find(element, '#dashboard-heading'));
    expect(text(element, '#dashboard-heading')).to.equal(`Declaration of Principles of the #CohesionAlliance ${CAMPAIGN}`);
    const publicCount = number(element, 'public-count');
    expect(text(element, '#goal')).to.equal(`${Math.round((100 * publicCount) / 3000)}% of the goal of 3,000`);
    expect(sessionStorage.getItem(`cohesion-admin-token ${ADMIN}/`)).to.equal(TOKEN);
    expect(localStorage.length, 'nothing in localStorage').to.equal(0);

    expect(number(element, 'confirmed')).to.equal(signed.length);
    expect(number(element, 'pending')).to.equal(0);

    const countries = [...tally('country')].map(([code, count]) => [countryName(code!, 'en'), count]);
    expect(tableRows(element, 'countries-heading')).to.have.deep.members(countries);
    expect(tableRows(element, 'countries-heading').map(([label]) => label)).to.include('Bulgaria');

    const partners = tableRows(element, 'by-partner-heading');
    expect(partners).to.deep.include([`${PLOVDIV.name} ${PLOVDIV.id}`, tally('partner').get(PLOVDIV.id)]);
    expect(partners).to.deep.include(['lower-danube not registered', tally('partner').get('lower-danube')]);
    expect(partners).to.deep.include(['No partner', signed.filter((s) => !s.partner).length]);

    const types = Object.fromEntries(tableRows(element, 'signer-types-heading'));
    expect(types).to.deep.equal({
      Individuals: tally('signerType').get('individual'),
      'On behalf of an organisation': tally('signerType').get('organisation'),
      'Elected representatives': tally('signerType').get('representative'),
    });
    expect(Object.fromEntries(tableRows(element, 'kinds-heading'))).to.deep.equal({
      'Regional authority': tally('organisationKind').get('regional-authority'),
      'Non-governmental organisation': tally('organisationKind').get('ngo'),
    });

    // The share bars are drawn to scale: Bulgaria's is half the table.
    const bulgaria = find(element, '#countries-heading').closest('section')!.querySelector('tbody tr')!;
    expect(bulgaria.querySelector('.share-bar rect:not(.track)')!.getAttribute('width')).to.equal(
      `${((tally('country').get('BG')! / signed.length) * 100).toFixed(2)}%`,
    );
    await expect(element).to.be.accessible();
  });

  it('draws a bar for the day of signing, sized by the count, with a text summary and the numbers as a table', async () => {
    const element = await dashboard();
    await signIn(element);
    const chart = find(element, 'cohesion-day-chart');
    await waitFor(() => maybe(chart, '.day-bar'), 'no bar drawn');
    const svg = find(chart, 'svg');
    expect(svg.getAttribute('role')).to.equal('img');
    expect(text(chart, `#${svg.getAttribute('aria-labelledby')}`)).to.contain(`${signed.length} confirmed signatures`);
    const bar = find(chart, `.day-bar[data-day="${seedDay}"]`);
    expect(Number(bar.getAttribute('data-count'))).to.equal(signed.length);
    expect(Number(bar.getAttribute('height'))).to.be.greaterThan(100);
    expect(
      findAll(chart.shadowRoot!, 'text').map((t) => t.textContent),
      'a day label on the axis',
    ).to.include(
      new Intl.DateTimeFormat('en', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${seedDay}T00:00:00Z`)),
    );
    const rows = findAll(chart.shadowRoot!, 'details tbody tr');
    expect(rows).to.have.length(1);
    expect(rows[0]!.querySelector('.number')!.textContent).to.equal(String(signed.length));
  });

  it('exports the chosen signatures as a CSV file, fetched with the token', async () => {
    const element = await dashboard();
    await signIn(element);
    const saved: { blob: Blob; name: string }[] = [];
    const blobs = new Map<string, Blob>();
    const createObjectURL = URL.createObjectURL;
    const click = HTMLAnchorElement.prototype.click;
    URL.createObjectURL = (blob: Blob | MediaSource) => {
      const url = createObjectURL(blob);
      blobs.set(url, blob as Blob);
      return url;
    };
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      saved.push({ blob: blobs.get(this.href)!, name: this.download });
    };
    try {
      setValue(find<HTMLSelectElement>(element, '#export-status'), 'confirmed');
      find<HTMLButtonElement>(find(element, 'cohesion-dashboard-export'), 'button[type=submit]').click();
      await waitFor(() => saved.length, 'nothing was saved');
    } finally {
      URL.createObjectURL = createObjectURL;
      HTMLAnchorElement.prototype.click = click;
    }
    const [{ blob, name }] = saved as [{ blob: Blob; name: string }];
    expect(name).to.match(new RegExp(`^${CAMPAIGN}-signatures-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect([...bytes.slice(0, 3)], 'a UTF-8 BOM').to.deep.equal([0xef, 0xbb, 0xbf]);
    const lines = (await blob.text())
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean);
    expect(lines[0]).to.equal(
      'signed_at,confirmed_at,status,signer_type,name,organisation,organisation_kind,role,country,email,partner,page,lang,newsletter,list_publicly,consent_version',
    );
    expect(lines.length - 1).to.equal(signed.length);
    for (const seed of signed)
      expect(
        lines.some((line) => line.includes(seed.email)),
        seed.email,
      ).to.be.true;
    expect(text(find(element, 'cohesion-dashboard-export'), '[role=status]')).to.equal(`Saved ${name}.`);
  });

  it('announces an error when a form is submitted with Enter in the very field that is wrong', async () => {
    const element = await dashboard();
    await signIn(element);
    find<HTMLInputElement>(element, '#erase-email').focus();
    await sendKeys({ type: 'not-an-address' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => maybe(element, '#erase-email-error'), 'no error shown');
    expect(find(element, '#erase-email-error').getAttribute('role')).to.equal('alert');
    expect(focused()).to.equal(find(element, '#erase-email'));
  });

  it('erases a person’s signatures after an in-page confirmation, by keyboard, and the totals fall', async () => {
    const element = await dashboard();
    await signIn(element);
    const before = number(element, 'confirmed');
    const person = signed[0]!;
    const field = find<HTMLInputElement>(element, '#erase-email');
    field.focus();
    await sendKeys({ type: person.email.toUpperCase() });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => maybe(element, '#erase-question'), 'no confirmation step');
    expect(focused(), 'the question is read first').to.equal(find(element, '#erase-question'));
    expect(text(element, '#erase-question')).to.contain(person.email.toUpperCase());

    // Escape steps back, and nothing is erased.
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !maybe(element, '#erase-question'), 'Escape did not step back');
    expect(focused()).to.equal(find(element, '#erase-button'));
    await sendKeys({ press: 'Enter' });
    await waitFor(() => maybe(element, '#erase-question'), 'no confirmation step');
    await sendKeys({ press: 'Tab' });
    expect(focused()?.textContent?.trim()).to.equal('Yes, erase');
    await sendKeys({ press: 'Enter' });

    await waitFor(() => text(find(element, 'cohesion-dashboard-erasure'), '[role=status]').startsWith('Erased'), 'no outcome shown');
    expect(text(find(element, 'cohesion-dashboard-erasure'), '[role=status]')).to.equal(
      `Erased 1 signature made with ${person.email.toUpperCase()}.`,
    );
    signed.shift();
    await waitFor(() => number(element, 'confirmed') === before - 1, 'the totals did not fall');
    expect(number(element, 'confirmed')).to.equal(signed.length);
    expect(focused(), 'back to the field for the next request').to.equal(field);
    expect(field.value).to.equal('');
    await expect(element).to.be.accessible();
  });

  it('adds a partner, with the server’s objections next to the field, and lists it', async () => {
    const element = await dashboard();
    await signIn(element);
    setValue(find<HTMLInputElement>(element, '#partner-id'), 'vidin');
    setValue(find<HTMLInputElement>(element, '#partner-name'), 'Vidin Region');
    setValue(find<HTMLTextAreaElement>(element, '#partner-origins'), 'vidin.bg');
    find(find(element, 'cohesion-dashboard-partners'), 'form button[type=submit]').click();

    await waitFor(() => maybe(element, '#partner-origins-error'), 'the refused origin is not shown');
    const origins = find<HTMLTextAreaElement>(element, '#partner-origins');
    expect(origins.getAttribute('aria-invalid')).to.equal('true');
    expect(origins.getAttribute('aria-describedby')).to.contain('partner-origins-error');
    expect(focused()).to.equal(origins);
    expect(maybe(element, '[data-partner=vidin]')).to.be.undefined;

    setValue(origins, 'https://vidin.bg\n\nhttps://www.vidin.bg ');
    find(find(element, 'cohesion-dashboard-partners'), 'form button[type=submit]').click();
    await waitFor(() => maybe(element, '[data-partner=vidin]'), 'the new partner is not listed');
    const row = find(element, '[data-partner=vidin]');
    expect(row.textContent).to.contain('Vidin Region');
    expect([...row.querySelectorAll('li')].map((li) => li.textContent)).to.deep.equal(['https://vidin.bg', 'https://www.vidin.bg']);
    expect(text(find(element, 'cohesion-dashboard-partners'), '[role=status]')).to.equal('Saved partner Vidin Region (vidin).');
    expect(focused()).to.equal(find(element, '[data-edit=vidin]'));
    const stored = (await (await admin('partners')).json()).partners.find((p: { id: string }) => p.id === 'vidin');
    expect(stored).to.deep.include({ name: 'Vidin Region', origins: ['https://vidin.bg', 'https://www.vidin.bg'], listed: false });
    await expect(element).to.be.accessible();

    // On the public list, with a logo: an http:// one is refused next to its field.
    find(element, '[data-edit=vidin]').click();
    await waitFor(() => find<HTMLInputElement>(element, '#partner-id').readOnly, 'not editing');
    const listed = find<HTMLInputElement>(element, '#partner-listed');
    listed.click();
    setValue(find<HTMLInputElement>(element, '#partner-logo'), 'http://vidin.bg/logo.png');
    setValue(find<HTMLInputElement>(element, '#partner-position'), '3');
    find(find(element, 'cohesion-dashboard-partners'), 'form button[type=submit]').click();
    await waitFor(() => maybe(element, '#partner-logo-error'), 'the refused logo is not shown');
    expect(focused()).to.equal(find(element, '#partner-logo'));
    setValue(find<HTMLInputElement>(element, '#partner-logo'), 'https://vidin.bg/logo.png');
    find(find(element, 'cohesion-dashboard-partners'), 'form button[type=submit]').click();
    await waitFor(() => text(find(element, 'cohesion-dashboard-partners'), '[role=status]').startsWith('Saved'), 'not saved');
    expect(text(element, '[data-partner=vidin]')).to.contain('On the public list (place 3)');
    const listedPartners = (await (await fetch(`${DIRECT}/api/campaigns/${CAMPAIGN}/partners`, { cache: 'no-store' })).json()).partners;
    expect(listedPartners).to.deep.include({ id: 'vidin', name: 'Vidin Region', logo: 'https://vidin.bg/logo.png' });
  });

  it('deletes a partner after an in-page confirmation', async () => {
    await admin('partners/ruse', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"name":"Ruse","origins":[]}' });
    const element = await dashboard();
    await signIn(element);
    find(element, '[data-delete=ruse]').click();
    await waitFor(() => maybe(element, '#delete-question'), 'no delete question');
    expect(focused()).to.equal(find(element, '#delete-question'));
    await expect(element).to.be.accessible();
    [...findAll<HTMLButtonElement>(element.shadowRoot!, '.confirm button')].find((b) => b.textContent === 'Yes, delete')!.click();
    await waitFor(() => !maybe(element, '[data-partner=ruse]'), 'still listed');
    expect(text(find(element, 'cohesion-dashboard-partners'), '[role=status]')).to.equal('Deleted partner Ruse (ruse).');
    expect(focused()).to.equal(find(element, '#partners-heading'));
    expect((await admin('partners/ruse', { method: 'DELETE' })).status, 'gone on the server').to.equal(404);
  });

  it('records supporters gathered elsewhere apart from the signatures: the public count includes them until removed', async () => {
    const element = await dashboard();
    await signIn(element);
    const baseline = find(element, 'cohesion-dashboard-baseline');
    await waitFor(() => maybe(baseline, '#baseline-total'), 'the baseline did not load');
    expect(text(baseline, '#baseline-total')).to.contain('None recorded');
    const before = { count: await serverCount(DIRECT), confirmed: number(element, 'confirmed') };

    // Nothing typed: each missing field is said, and the first is focused.
    find(baseline, 'form button[type=submit]').click();
    await waitFor(() => maybe(baseline, '#baseline-count-error'), 'the missing count is not said');
    expect(maybe(baseline, '#baseline-note-error')).to.exist;
    expect(focused()).to.equal(find(baseline, '#baseline-count'));

    setValue(find<HTMLInputElement>(baseline, '#baseline-count'), '1500');
    setValue(find<HTMLInputElement>(baseline, '#baseline-note'), 'Paper lists, Plovdiv forum');
    setValue(find<HTMLSelectElement>(baseline, '#baseline-partner'), PLOVDIV.id);
    find(baseline, 'form button[type=submit]').click();
    await waitFor(() => text(baseline, '[role=status]').startsWith('Added'), 'no outcome shown');
    expect(text(baseline, '[role=status]')).to.equal('Added 1,500 supporters: Paper lists, Plovdiv forum.');
    expect(text(baseline, '#baseline-total')).to.contain('1,500');
    const row = find(baseline, '[data-entry]');
    expect(row.textContent).to.contain(PLOVDIV.name);
    expect(await serverCount(DIRECT)).to.equal(before.count + 1500);
    expect(number(element, 'confirmed'), 'the signatures are apart').to.equal(before.confirmed);
    await waitFor(() => maybe(element, '#baseline'), 'the totals do not show the baseline');
    expect(number(element, 'baseline')).to.equal(1500);
    expect(number(element, 'public-count'), 'as every counter shows it').to.equal(before.count + 1500);
    await expect(element).to.be.accessible();

    find(baseline, `[data-remove="${row.getAttribute('data-entry')}"]`).click();
    await waitFor(() => maybe(baseline, '#remove-baseline-question'), 'no remove question');
    expect(focused()).to.equal(find(baseline, '#remove-baseline-question'));
    [...findAll<HTMLButtonElement>(baseline.shadowRoot!, '.confirm button')].find((b) => b.textContent === 'Yes, remove')!.click();
    await waitFor(() => text(baseline, '[role=status]').startsWith('Removed'), 'not removed');
    expect(text(baseline, '#baseline-total')).to.contain('None recorded');
    expect(await serverCount(DIRECT)).to.equal(before.count);
  });

  it('reviews the public wall by keyboard: approves a representative onto it, hides anyone, counts unchanged; axe-clean', async () => {
    const mayor = {
      signerType: 'representative',
      name: 'Dimitar Dimitrov',
      role: 'Mayor',
      organisation: 'Plovdiv',
      country: 'BG',
      email: email(),
      listPublicly: true,
    } satisfies Seed;
    const person = { signerType: 'individual', name: 'Vesela Koleva', country: 'BG', email: email(), listPublicly: true } satisfies Seed;
    await sign(mayor);
    await sign(person);
    const wall = async () => {
      const response = await fetch(`${DIRECT}/api/campaigns/${CAMPAIGN}/supporters?limit=100`, { cache: 'no-store' });
      return ((await response.json()).supporters as { name: string }[]).map(({ name }) => name);
    };
    expect(await wall()).to.deep.equal([person.name], 'the representative waits for review');

    const element = await dashboard();
    await signIn(element);
    const moderation = find(element, 'cohesion-dashboard-moderation');
    const entries = () => findAll(moderation.shadowRoot!, '[data-entry]');
    const entryOf = (seed: Seed) => entries().find((li) => li.textContent!.includes(seed.name));
    const status = () => text(moderation, '[role=status]');
    await waitFor(() => entryOf(mayor), 'the queue did not show the representative');
    expect(entries(), 'only the claim is in the queue').to.have.length(1);
    const claim = entryOf(mayor)!.textContent!.replace(/\s+/g, ' ');
    for (const detail of ['Mayor, Plovdiv', 'Elected representative', 'Bulgaria', mayor.email]) expect(claim).to.contain(detail);
    await expect(element).to.be.accessible();
    const confirmed = number(element, 'confirmed');

    const approve = entryOf(mayor)!.querySelector<HTMLButtonElement>('[data-decision=approved]')!;
    expect(approve.textContent!.replace(/\s+/g, ' ').trim(), 'a name that says whom it approves').to.equal(`Approve ${mayor.name}`);
    approve.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => status().startsWith('Approved'), 'no outcome announced');
    expect(status()).to.equal(`Approved ${mayor.name}: on the public wall now.`);
    expect(entries(), 'gone from the queue').to.have.length(0);
    expect(focused(), 'the queue is empty: back to the heading').to.equal(find(moderation, '#moderation-heading'));
    expect(await wall()).to.deep.equal([person.name, mayor.name]);

    setValue(find<HTMLSelectElement>(moderation, '#wall-view'), 'shown');
    await waitFor(() => entryOf(person) && entryOf(mayor), 'the wall did not load');
    const hide = entryOf(person)!.querySelector<HTMLButtonElement>('[data-decision=hidden]')!;
    expect(entryOf(person)!.querySelector('[data-decision=approved]'), 'on the wall: only Hide').to.be.null;
    hide.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => status().startsWith('Hid '), 'no outcome announced');
    expect(status()).to.equal(`Hid ${person.name} from the public wall. The signature still counts.`);
    expect(entryOf(person)).to.be.undefined;
    expect(focused(), 'on the entry that took its place').to.equal(entryOf(mayor)!.querySelector('button'));
    expect(await wall()).to.deep.equal([mayor.name]);
    expect(number(element, 'confirmed'), 'the count never depends on the wall').to.equal(confirmed);
    expect(await serverCount(DIRECT)).to.equal(signed.length);

    setValue(find<HTMLSelectElement>(moderation, '#wall-view'), 'hidden');
    await waitFor(() => entryOf(person), 'the hidden entries did not load');
    expect(
      [...entryOf(person)!.querySelectorAll('button')].map((b) => b.dataset.decision),
      'hidden: Approve shows it again',
    ).to.deep.equal(['approved']);
    await expect(element).to.be.accessible();
  });

  it('follows the live counter: a signature elsewhere moves the totals', async function () {
    const element = await dashboard();
    await signIn(element);
    const before = number(element, 'confirmed');
    await sign({ signerType: 'individual', name: 'Live Signer', country: 'AT', email: email() });
    await waitFor(() => number(element, 'confirmed') === before + 1, 'the totals did not move');
  });

  it('pauses the live updates on request, says so, and catches up when they resume', async () => {
    const element = await dashboard();
    await signIn(element);
    const toggle = find<HTMLButtonElement>(element, '#live-toggle');
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    toggle.click();
    await waitFor(() => toggle.getAttribute('aria-pressed') === 'true', 'not paused');
    expect(text(element, '.help')).to.contain('Live updates are paused');
    expect(text(element, '[role=status]')).to.equal('Live updates paused.');
    const before = number(element, 'confirmed');
    await sign({ signerType: 'individual', name: 'Paused Signer', country: 'AT', email: email() });
    toggle.click();
    await waitFor(() => number(element, 'confirmed') === before + 1, 'resuming did not catch up');
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    await expect(element).to.be.accessible();
  });

  it('signs out when the server stops accepting the token', async () => {
    sessionStorage.setItem(`cohesion-admin-token ${ADMIN}/`, 'a-token-the-server-never-issued');
    const element = await dashboard();
    await waitFor(() => maybe(element, '#token-error'), 'no message shown');
    expect(text(element, '#token-error')).to.contain('Paste the admin token again');
    expect(sessionStorage.length).to.equal(0);
  });

  it('lays out its four breakdowns with no empty column: all in a row at 1280 px, two by two in between, one column at 375 px', async () => {
    const element = await dashboard();
    await signIn(element);
    const breakdowns = ['countries', 'by-partner', 'signer-types', 'kinds'].map((id) =>
      find(element, `#${id}-heading`).closest('section')!,
    );
    const rows = () => new Set(breakdowns.map((section) => Math.round(section.getBoundingClientRect().top))).size;
    for (const [width, expected] of [
      [1280, 1],
      [800, 2],
      [375, 4],
    ] as const) {
      element.style.inlineSize = `${width}px`;
      await element.updateComplete;
      expect(rows(), `rows at ${width} px`).to.equal(expected);
    }
    element.style.inlineSize = '';
  });

  it('is the server’s own /admin page: loads under its CSP, signs in, and fits a 320 px screen', async function () {
    const frame = document.createElement('iframe');
    frame.src = `${ADMIN}/admin`;
    frame.style.inlineSize = '320px';
    frame.style.blockSize = '640px';
    document.body.append(frame);
    try {
      await waitFor(
        () => frame.contentDocument?.querySelector('cohesion-dashboard')?.shadowRoot?.querySelector('#token'),
        'the page did not start (is dist/demo built?)',
      );
      const doc = frame.contentDocument!;
      expect(doc.title).to.contain('Organiser dashboard');
      const element = doc.querySelector('cohesion-dashboard')!;
      await signIn(element);
      expect(number(element, 'confirmed')).to.equal(signed.length);
      expect(frame.contentWindow!.sessionStorage.getItem(`cohesion-admin-token ${ADMIN}/`)).to.equal(TOKEN);

      await waitFor(() => maybe(find(element, 'cohesion-day-chart'), '.day-bar'), 'no chart');
      expect(doc.documentElement.scrollWidth, 'no sideways scrolling').to.be.at.most(320);
      const sticking: string[] = [];
      for (const section of findAll(element.shadowRoot!, 'section')) {
        const edge = section.getBoundingClientRect().right;
        for (const part of findAll(section, '*')) {
          if (part.getBoundingClientRect().right > edge + 0.5)
            sticking.push(`${section.getAttribute('aria-labelledby')}: ${part.tagName} ${part.className}`);
        }
      }
      expect(sticking, 'nothing sticks out of its panel').to.deep.equal([]);
    } finally {
      frame.remove();
    }
  });
});
