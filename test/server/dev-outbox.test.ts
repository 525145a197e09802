/**
 * Without SMTP_URL, mails go to the development outbox at /dev/outbox. These tests read the
 * mails there, which also makes them the place for what signing again sends.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { MAIL_RESEND_INTERVAL_MS } from '../../server/store/signature-store.js';
import { countOf, linksIn, press, titleIn } from './support/signer-links.js';
import { NOW, makeTestApp, signatureBody, type TestApp } from './support/test-app.js';

const LOCAL_URL = 'http://localhost:8787';

describe('the development outbox', () => {
  let t: TestApp;
  afterEach(() => t.close());

  /** Signs, lets the worker send, and returns the outbox's mails, newest first. */
  async function sign(fields: Record<string, unknown> = {}) {
    const response = await t.post(signatureBody(fields));
    await t.mail.worker.wake();
    return { response, mails: t.mail.devOutbox!.list() };
  }

  it('shows the mails at /dev/outbox, newest first, with their links clickable', async () => {
    t = await makeTestApp({});
    await sign({ email: 'first@example.org' });
    await sign({ email: 'second@example.org', lang: 'bg' });
    const page = await t.request('/dev/outbox');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('Content-Type') ?? '', /^text\/html/);
    assert.equal(page.headers.get('Cache-Control'), 'no-store');
    const body = await page.text();
    assert.match(body, /<h1>Development outbox<\/h1>/);
    assert.ok(body.indexOf('second@example.org') < body.indexOf('first@example.org'), 'newest first');
    assert.ok(body.includes(`<h2>Потвърдете подписа си: ${titleIn('bg')}</h2>`));
    assert.ok(body.includes(`<h2>Please confirm your signature: ${titleIn('en')}</h2>`));
    assert.ok(body.includes(`<time datetime="${new Date(NOW).toISOString()}">`));
    for (const mail of t.mail.devOutbox!.list()) {
      const { confirm, withdraw } = linksIn(mail, LOCAL_URL);
      assert.ok(body.includes(`<a href="${confirm}">${confirm}</a>`));
      assert.ok(body.includes(`<a href="${withdraw}">${withdraw}</a>`));
    }
  });

  it("links each mail's HTML part, served under a policy that loads and runs nothing", async () => {
    t = await makeTestApp({});
    await sign({ lang: 'bg' });
    const [mail] = t.mail.devOutbox!.list();
    const body = await (await t.request('/dev/outbox')).text();
    assert.ok(body.includes(`<a href="/dev/outbox/${mail!.id}.html">The HTML part</a>`));
    const page = await t.request(`/dev/outbox/${mail!.id}.html`);
    assert.equal(page.status, 200);
    assert.equal(
      page.headers.get('Content-Security-Policy'),
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox",
    );
    assert.equal(page.headers.get('Cache-Control'), 'no-store');
    assert.equal(await page.text(), mail!.html);
    assert.match(mail!.html, /<html lang="bg">/);
    assert.equal((await t.request(`/dev/outbox/${mail!.id + 1}.html`)).status, 404);
  });

  it('is not there when SMTP_URL is set', async () => {
    t = await makeTestApp({ SMTP_URL: 'smtp://127.0.0.1:2525' });
    assert.equal(t.mail.devOutbox, undefined);
    assert.equal((await t.request('/dev/outbox')).status, 404);
  });

  it('gets, for a pending signer who signs again, the same 202 and the mail again at most every 10 minutes, with fresh links', async () => {
    t = await makeTestApp({ DOUBLE_OPT_IN: 'on' });
    const first = await sign();
    assert.equal(first.response.status, 202);
    assert.equal(first.mails.length, 1);

    // With the same details: other details replace the signature (see signer-record.test.ts).
    const soon = await sign({ email: 'MARIA.IVANOVA@example.org' });
    assert.equal(soon.response.status, 202);
    assert.deepEqual(await soon.response.json(), { status: 'pending' });
    assert.equal(soon.mails.length, 1, 'no second mail within 10 minutes');

    t.advanceClock(MAIL_RESEND_INTERVAL_MS);
    const later = await sign();
    assert.deepEqual(await later.response.json(), { status: 'pending' });
    assert.equal(later.mails.length, 2);
    const [resent, original] = later.mails.map((mail) => linksIn(mail, LOCAL_URL));
    assert.match(later.mails[0]!.text, /^ {2}Full name: “Maria Ivanova”$/m);
    assert.notEqual(resent!.confirm, original!.confirm);

    assert.equal((await press(t, original!.confirm!)).status, 404, "only the newest mail's link confirms");
    assert.equal((await press(t, resent!.confirm!)).status, 200);
    assert.equal(await countOf(t), 1);

    t.advanceClock(MAIL_RESEND_INTERVAL_MS);
    const confirmed = await sign();
    assert.deepEqual(await confirmed.response.json(), { status: 'pending' }, 'the same answer once confirmed');
    assert.equal(confirmed.mails.length, 2, 'and no mail');
  });

  it('with DOUBLE_OPT_IN off: 201 and counted at once, and a mail with only the withdrawal link', async () => {
    t = await makeTestApp({ DOUBLE_OPT_IN: 'off' });
    const { response, mails } = await sign();
    assert.equal(response.status, 201);
    assert.equal(await countOf(t), 1);
    assert.equal(mails.length, 1);
    const [mail] = mails;
    assert.equal(mail!.to, 'maria.ivanova@example.org');
    assert.equal(mail!.subject, `Thank you for signing: ${titleIn('en')}`);
    assert.match(mail!.text, /Your signature is counted\./);
    assert.match(mail!.text, /If you did not sign, please withdraw the signature with the link above\./);
    const { confirm, withdraw } = linksIn(mail!, LOCAL_URL);
    assert.equal(confirm, undefined);
    assert.equal((await press(t, withdraw!)).status, 200);
    assert.equal(await countOf(t), 0);

    const again = await sign();
    assert.equal(again.response.status, 201, 'withdrawn: the address may sign again');
  });
});
