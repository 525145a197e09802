/**
 * Shared steps for the browser tests: the real API's address, waiting, filling, keyboard; and,
 * for every test file (each imports this module), a test fails on a `console.error`, an uncaught
 * error or an unhandled promise rejection during it, unless it says it expects that one.
 */
import { waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';

const problems: string[] = [];
let expected: RegExp[] = [];

function report(kind: string, text: string) {
  const index = expected.findIndex((pattern) => pattern.test(text));
  if (index >= 0) expected.splice(index, 1);
  else problems.push(`${kind}: ${text}`);
}

const realConsoleError = console.error;
console.error = (...args: unknown[]) => {
  report('console.error', args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' '));
  realConsoleError.apply(console, args);
};
window.addEventListener('error', (event) => report('uncaught error', String(event.error?.message ?? event.message)));
window.addEventListener('unhandledrejection', (event) =>
  report('unhandled rejection', String((event.reason as Error | undefined)?.message ?? event.reason)),
);

/**
 * For a test that provokes an error on purpose: one `console.error`, uncaught error or unhandled
 * rejection matching `pattern` is expected during this test (and must happen), and does not fail it.
 */
export function expectConsoleError(pattern: RegExp) {
  expected.push(pattern);
}

// Root hooks: registered once per test file, around every test in it.
afterEach(function () {
  const found = problems.splice(0);
  const missing = expected.map(String);
  expected = [];
  if (found.length) throw new Error(`errors in the console during "${this.currentTest?.fullTitle()}":\n${found.join('\n')}`);
  if (missing.length) throw new Error(`expected errors that never came: ${missing.join(', ')}`);
});
after(() => {
  if (problems.length) throw new Error(`errors in the console after the last test:\n${problems.join('\n')}`);
});

/** The real API server that test/web-test-runner.config.mjs started for this run. */
export const API: string = (window as unknown as { COHESION_API: string }).COHESION_API;
/** The same server with bot protection on, as in production: signing needs the proof of work. */
export const PROTECTED_API: string = (window as unknown as { COHESION_PROTECTED_API: string }).COHESION_PROTECTED_API;

/** The admin API of the server at API, through the same-origin proxy (it answers no other origin), with its token. */
export function adminFetch(path: string, init: RequestInit = {}) {
  const { COHESION_API_PROXY: proxy, COHESION_ADMIN_TOKEN: token } = window as unknown as Record<string, string>;
  return fetch(`${location.origin}${proxy}/api/admin${path}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } });
}

/**
 * Approves every entry of API's public wall that waits for an organiser (those who claim an
 * organisation or an office), as an organiser would. The admin API answers only its own origin:
 * this goes through the test runner's same-origin proxy to API.
 */
export async function approveWallEntries(campaign = 'cohesion-alliance') {
  const admin = (path: string, init: RequestInit = {}) => adminFetch(`/campaigns/${campaign}/supporters${path}`, init);
  for (;;) {
    const { supporters } = (await (await admin('?state=awaiting&limit=100')).json()) as { supporters: { id: number }[] };
    if (!supporters.length) return;
    for (const { id } of supporters) {
      const approved = await admin(`/${id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: '{"moderation":"approved"}',
      });
      if (!approved.ok) throw new Error(`could not approve entry ${id}: ${approved.status}`);
    }
  }
}

let emails = 0;
/** An address no other test has used, so that each signature is new. */
export const uniqueEmail = () => `visitor.${Date.now().toString(36)}.${++emails}@example.org`;

export const shadow = (element: HTMLElement) => element.shadowRoot!;

export function query<T extends Element = HTMLElement>(element: HTMLElement, selector: string): T {
  const found = shadow(element).querySelector<T>(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  return found;
}

/**
 * Waits until `condition` holds, checking every 20 ms. It sets no time budget of its own: the
 * per-test timeout (test/web-test-runner.config.mjs), sized for a loaded 2-core machine, is the
 * only limit, and `message` then says what never happened.
 */
export function waitFor(condition: () => unknown, message: string) {
  return waitUntil(condition, message, { interval: 20, timeout: WAIT_LIMIT_MS });
}

/** Just under the per-test timeout, so that a wait that never ends fails with its own message. */
const WAIT_LIMIT_MS = 55_000;

/** Waits until the campaign has loaded from the server (the counter is there before, empty). */
export async function loaded(element: HTMLElement) {
  await waitFor(() => shadow(element).querySelector('[part=counter] .goal')?.textContent?.trim(), 'the campaign did not load');
}

/** The count as the server has it now, past the browser's HTTP cache. */
export const serverCount = async (api = API): Promise<number> =>
  (await (await fetch(`${api}/api/campaigns/cohesion-alliance/count`, { cache: 'no-store' })).json()).count;

export const countText = (element: HTMLElement) => query(element, '[part=counter] .count').textContent!.trim();
export const countValue = (element: HTMLElement) => Number(countText(element).replace(/\D/g, ''));

/** Gives the organiser dashboard (`<cohesion-dashboard>`, asking for its token) `token`, and submits it. */
export function submitDashboardToken(dashboard: HTMLElement, token: string) {
  const input = query<HTMLInputElement>(dashboard, '#token');
  input.value = token;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  query<HTMLButtonElement>(dashboard, 'form button[type=submit]').click();
}

/** Sets a form control the way a visitor would, with the events a visitor's input fires. */
export function setField(element: HTMLElement, name: string, value: string | boolean) {
  const control = query<HTMLInputElement>(element, `[name=${name}]`);
  if (typeof value === 'boolean') control.checked = value;
  else control.value = value;
  const typed = control.tagName === 'INPUT' && typeof value === 'string';
  control.dispatchEvent(new Event(typed ? 'input' : 'change', { bubbles: true, composed: true }));
  control.dispatchEvent(new FocusEvent('focusout', { bubbles: true, composed: true }));
}

/**
 * Chooses a signer type as a click does: the radio takes focus (the form's chunks start loading on
 * its first focus), then its fields show once those have come.
 */
export async function chooseSignerType(element: HTMLElement, type: string) {
  const radio = query(element, `[name=signerType][value=${type}]`);
  radio.focus();
  radio.click();
  const own = { individual: '[name=name]', organisation: '[name=organisationKind]', representative: '[name=role]' }[type];
  await waitFor(() => shadow(element).querySelector(own!), `the fields of ${type} did not show`);
}

export async function fillValidIndividual(element: HTMLElement, email = uniqueEmail()) {
  setField(element, 'name', 'Maria Ivanova');
  setField(element, 'country', 'BG');
  setField(element, 'email', email);
  setField(element, 'consent', true);
  await (element as unknown as { updateComplete: Promise<unknown> }).updateComplete;
  return email;
}

export const submitButton = (element: HTMLElement) => query<HTMLButtonElement>(element, '[part=submit-button]');

/** The element that has focus, looking inside the widget's shadow root. */
export const focused = (element: HTMLElement) => shadow(element).activeElement as HTMLElement | null;

/** Presses Tab until `target` has focus, as a keyboard user would; fails if it is unreachable. */
export async function tabTo(element: HTMLElement, selector: string) {
  for (let presses = 0; presses < 40; presses++) {
    if (focused(element) === query(element, selector)) return;
    await sendKeys({ press: 'Tab' });
  }
  throw new Error(`${selector} cannot be reached with Tab`);
}

/**
 * Answers POSTs with `respond` and lets every other request through to the real server: for the
 * one failure path a test is about, which the real server will not produce on demand.
 */
export function stubPost(respond: () => Promise<Response>) {
  const realFetch = window.fetch;
  const posts: RequestInit[] = [];
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    if (init?.method === 'POST') {
      posts.push(init);
      return respond();
    }
    return realFetch(input, init);
  };
  return { posts, restore: () => (window.fetch = realFetch) };
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } }));

/**
 * Reduced motion on or off, where the browser lets a test choose (Chromium, over the DevTools
 * protocol). Firefox and WebKit run with it on, set at their launch
 * (test/web-test-runner.config.mjs). Resolves with whether the page now has what was asked.
 */
export async function reduceMotion(reduce: boolean): Promise<boolean> {
  const holds = () => matchMedia('(prefers-reduced-motion: reduce)').matches === reduce;
  if (holds()) return true;
  try {
    await emulateMedia({ reducedMotion: reduce ? 'reduce' : 'no-preference' });
  } catch {
    // Not this browser's to choose.
  }
  return holds();
}
