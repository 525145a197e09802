/**
 * Double opt-in end to end: the app sends through a real SMTP server (smtp-server in this
 * process); the test reads the mail, follows its links as a browser would, and checks the
 * answers and the tables.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { CONFIRM_LINK_TTL_MS, hashLinkToken } from '../../server/link-tokens.js';
import { RETRY_DELAYS_MS } from '../../server/mail/mail-worker.js';
import { tempFolder } from './support/fixtures.js';
import { countOf, countsOf, linksIn, open, press, titleIn, tokenOf } from './support/signer-links.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from './support/smtp-sink.js';
import { CAMPAIGN, NOW, makeTestApp, signatureBody, type TestApp } from './support/test-app.js';

const PUBLIC_URL = 'https://sign.example.eu';
const HOUR = 3_600_000;
const mailLinks = (mail: ReceivedMail) => linksIn(mail, PUBLIC_URL);
/** An organisation's signatory, in Bulgarian: what a withdrawal erases. */
const PETAR = { signerType: 'organisation', name: 'Petar Petrov', organisation: 'Secret Org', organisationKind: 'ngo', lang: 'bg' };

describe('double opt-in through a real SMTP server', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let signer = 0;
  let email: string;

  before(async () => (sink = await startSmtpSink()));
  after(() => sink.close());
  beforeEach(async () => {
    t = await makeTestApp({ SMTP_URL: sink.url, PUBLIC_URL, DOUBLE_OPT_IN: 'on', MAIL_FROM: 'Cohesion Alliance <sign@example.eu>' });
    email = `signer.${++signer}@example.org`;
  });
  afterEach(() => t.close());

  /** Signs with a fresh email (unless given) and returns the mail that arrives for it. */
  async function signAndReadMail(fields: Record<string, unknown> = {}): Promise<ReceivedMail> {
    const response = await t.post(signatureBody({ email, ...fields }));
    assert.equal(response.status, 202);
    assert.deepEqual(await response.json(), { status: 'pending' });
    const mail = await sink.nextMailTo((fields.email as string | undefined) ?? email);
    // The worker records the mail as sent once the SMTP server has taken it: let it, before the test reads the rows.
    await t.mail.worker.wake();
    return mail;
  }

  const signatureRow = (address = email) => t.rows('SELECT * FROM signatures WHERE email = ?', address)[0];

  it('mails a confirm link and a withdraw link at PUBLIC_URL, in English by default', async () => {
    const mail = await signAndReadMail();
    assert.equal(mail.from, 'sign@example.eu');
    assert.equal(mail.headers['auto-submitted'], 'auto-generated');
    assert.equal(mail.subject, `Please confirm your signature: ${titleIn('en')}`);
    assert.match(mail.text, /^Hello,\n/, 'no name in the greeting: whoever signed may not be who reads it');
    assert.ok(mail.text.includes(`Thank you for signing “${titleIn('en')}”. To have your signature counted`));
    assert.match(mail.text, /within 7 days:\n/);
    assert.match(mail.text, /If you did not sign, please ignore this email/);
    const links = mailLinks(mail);
    assert.ok(links.confirm && links.withdraw, mail.text);
    assert.notEqual(tokenOf(links.confirm), tokenOf(links.withdraw));
  });

  for (const lang of ['en', 'bg']) {
    it(`sends multipart/alternative, text then HTML, both in the signer's language (${lang}), each with the confirm link once`, async () => {
      const mail = await signAndReadMail({ lang, name: 'Hello <b>x</b> https://evil.example/login' });
      assert.match(mail.headers['content-type']!, /^multipart\/alternative;/);
      assert.deepEqual(
        mail.parts.map((part) => part.type),
        ['text/plain', 'text/html'],
      );
      const { confirm, withdraw } = mailLinks(mail);
      assert.ok(confirm && withdraw, mail.text);
      const html = mail.html!;
      assert.match(html, new RegExp(`^<!doctype html>\n<html lang="${lang}">`));
      const thanks = lang === 'bg' ? `Благодарим ви, че подписахте „${titleIn('bg')}“.` : `Thank you for signing “${titleIn('en')}”.`;
      assert.ok(mail.text.includes(thanks) && html.includes(thanks), thanks);
      for (const [part, text] of [
        ['text', mail.text],
        ['html', html],
      ] as const) {
        assert.equal(text.split(confirm).length - 1, 1, `${part}: the confirm link once`);
        assert.equal(text.split(withdraw).length - 1, 1, `${part}: the withdraw link once`);
      }
      // And the privacy notice, in the signer's language.
      const privacy = `${PUBLIC_URL}/privacy?lang=${lang}&amp;campaign=${CAMPAIGN}`;
      assert.deepEqual(
        [...html.matchAll(/\shref="([^"]*)"/g)].map((match) => match[1]),
        [confirm, withdraw, privacy],
        'in HTML, as link targets, and no other',
      );
      // What was typed: escaped, its address broken, no link; and nothing loaded from anywhere.
      assert.ok(html.includes('“Hello &lt;b&gt;x&lt;/b&gt; https[:]//evil[.]example/login”'), html);
      assert.ok(!html.includes('<b>') && !html.includes('evil.example'));
      assert.match(mail.text, /“Hello <b>x<\/b> https\[:\]\/\/evil\[\.\]example\/login”/);
      for (const banned of ['<img', '<link', '<style', 'src=']) assert.ok(!html.includes(banned), banned);
      assert.deepEqual(new Set(html.match(/https?:\/\/[^\s"'<>]+/g)), new Set([confirm, withdraw, privacy]), 'no URL but our links');
    });
  }

  it("writes the mail in the signer's language", async () => {
    const mail = await signAndReadMail({ lang: 'bg' });
    assert.equal(mail.subject, `Потвърдете подписа си: ${titleIn('bg')}`);
    assert.ok(mail.text.includes(`Благодарим ви, че подписахте „${titleIn('bg')}“.`));
    assert.match(mail.text, /^Здравейте,\n/);
    assert.match(mail.text, /в рамките на 7 дни:/);
    assert.match(mail.text, /Ако не сте подписвали/);
    const links = mailLinks(mail);
    assert.ok(links.confirm && links.withdraw, mail.text);
  });

  it('shows a button on GET of the confirm link, and confirms nothing', async () => {
    const { confirm } = mailLinks(await signAndReadMail({ lang: 'bg' }));
    for (let i = 0; i < 2; i++) {
      const page = await open(t, confirm!);
      assert.equal(page.status, 200);
      const body = await page.text();
      assert.match(body, /^<!doctype html>\n<html lang="bg">/);
      assert.equal(body.match(/<h1>/g)?.length, 1);
      assert.match(body, /<h1>Потвърдете подписа си<\/h1>/);
      assert.match(body, /<form method="post" action="\/confirm">/);
      assert.ok(body.includes(`<input type="hidden" name="token" value="${tokenOf(confirm!)}">`));
      assert.match(body, /<button type="submit">Потвърждавам подписа си<\/button>/);
      assert.match(body, /<link rel="stylesheet" href="\/pages.css">/);
      assert.doesNotMatch(body, /<script|style=/);
      assert.equal(page.headers.get('Cache-Control'), 'no-store');
      assert.equal(page.headers.get('Referrer-Policy'), 'no-referrer');
      assert.match(page.headers.get('Content-Security-Policy') ?? '', /script-src 'self'.*style-src 'self' 'unsafe-inline'/);
    }
    assert.equal(await countOf(t), 0);
    assert.equal(signatureRow()!.status, 'pending');
  });

  it('confirms on the button: the count rises once, confirmed_at is recorded, the live counter hears it', async () => {
    const { confirm } = mailLinks(await signAndReadMail({ partner: 'plovdiv' }));
    const heard: Array<[string, number]> = [];
    t.store.onCount((campaign, count) => heard.push([campaign, count]));
    t.advanceClock(HOUR);

    const confirmed = await press(t, confirm!);
    assert.equal(confirmed.status, 200);
    assert.equal(confirmed.headers.get('Cache-Control'), 'no-store');
    const body = await confirmed.text();
    assert.match(body, /<h1>Thank you!<\/h1>/);
    assert.match(body, /Supporters so far: 1\./);
    assert.doesNotMatch(body, /<form/);
    assert.deepEqual(await countsOf(t, 'plovdiv'), [1, 1]);
    assert.deepEqual(heard, [[CAMPAIGN, 1]]);
    const row = signatureRow()!;
    assert.deepEqual([row.status, row.created_at, row.confirmed_at, row.consent_version], ['confirmed', NOW, NOW + HOUR, '2026-11']);

    const before = t.snapshot();
    const again = await press(t, confirm!);
    assert.equal(again.status, 200);
    assert.match(await again.text(), /<h1>Already confirmed<\/h1>/);
    assert.deepEqual(t.snapshot(), before);
    assert.equal(heard.length, 1);
    assert.match(await (await open(t, confirm!)).text(), /<h1>Already confirmed<\/h1>/);
  });

  it('does nothing with an expired confirm link; signing again sends one that works', async () => {
    const { confirm } = mailLinks(await signAndReadMail());
    t.advanceClock(CONFIRM_LINK_TTL_MS);

    const page = await open(t, confirm!);
    assert.equal(page.status, 410);
    assert.doesNotMatch(await page.text(), /<form/);
    const pressed = await press(t, confirm!);
    assert.equal(pressed.status, 410);
    assert.match(await pressed.text(), /<h1>This link has expired<\/h1>[\s\S]*Confirmation links work for 7 days/);
    assert.equal(await countOf(t), 0);
    assert.equal(signatureRow()!.status, 'pending');

    const fresh = mailLinks(await signAndReadMail());
    assert.equal((await press(t, fresh.confirm!)).status, 200);
    assert.equal(await countOf(t), 1);
  });

  it("withdraws on the button: the count falls and the signer's data is erased", async () => {
    const other = 'other.signer@example.org';
    await press(t, mailLinks(await signAndReadMail({ email: other, partner: 'plovdiv' })).confirm!);
    const mail = await signAndReadMail({ ...PETAR, partner: 'plovdiv' });
    const { confirm, withdraw } = mailLinks(mail);
    await press(t, confirm!);
    assert.deepEqual(await countsOf(t, 'plovdiv'), [2, 2]);
    const { id } = signatureRow()!;
    const heard: number[] = [];
    t.store.onCount((_campaign, count) => heard.push(count));

    const page = await open(t, withdraw!);
    assert.equal(page.status, 200);
    const askBody = await page.text();
    assert.match(askBody, /<h1>Оттегляне на подписа<\/h1>/);
    assert.match(askBody, /<form method="post" action="\/withdraw">[\s\S]*<button type="submit">Оттеглям подписа си<\/button>/);
    assert.deepEqual(await countsOf(t, 'plovdiv'), [2, 2], 'a GET withdraws nothing');

    const withdrawn = await press(t, withdraw!);
    assert.equal(withdrawn.status, 200);
    assert.match(await withdrawn.text(), /<html lang="bg">[\s\S]*<h1>Подписът е оттеглен<\/h1>/);
    assert.deepEqual(await countsOf(t, 'plovdiv'), [1, 1]);
    assert.deepEqual(heard, [1]);

    assert.equal(signatureRow(), undefined);
    assert.deepEqual(t.rows('SELECT * FROM link_tokens WHERE signature_id = ?', id), []);
    const everything = ['signatures', 'link_tokens', 'campaign_counts', 'partner_counts'].map((table) => t.rows(`SELECT * FROM ${table}`));
    assert.doesNotMatch(JSON.stringify(everything), new RegExp(`petar|petrov|secret org|${email}`, 'i'));
    assert.ok(t.rows('SELECT * FROM signatures WHERE email = ?', other).length, "the other signer's row stays");

    const again = await press(t, withdraw!);
    assert.equal(again.status, 404);
    assert.match(await again.text(), /<h1>This link does not work<\/h1>/, 'the language went with the signature');
    assert.equal((await press(t, confirm!)).status, 404);
    assert.deepEqual(await countsOf(t, 'plovdiv'), [1, 1]);
  });

  it('shows, once counted, the campaign, the share step for the page signed on, and the way back to it', async () => {
    const page = 'https://plovdiv.bg/cohesion';
    const headers = { Origin: 'https://plovdiv.bg' };
    assert.equal((await t.post(signatureBody({ email, partner: 'plovdiv', page, lang: 'bg' }), { headers })).status, 202);
    const body = await (await press(t, mailLinks(await sink.nextMailTo(email)).confirm!)).text();
    assert.ok(body.includes(`<p class="campaign">${titleIn('bg')}</p>`), body);
    assert.ok(body.includes('<h2>Поканете и други да подпишат</h2>'), body);
    const shared = [...body.matchAll(/<li><a href="([^"]+)"/g)].map(([, href]) => href!.replaceAll('&amp;', '&'));
    assert.deepEqual(
      shared.map((href) => new URL(href).hostname),
      ['x.com', 'www.facebook.com', 'www.linkedin.com', 'bsky.app', 'toot.kytta.dev', 'wa.me', ''],
      'the networks the widget offers, and a mail',
    );
    for (const href of shared) assert.ok(href.includes(encodeURIComponent(page)), `the partner's page in ${href}`);
    assert.ok(shared.some((href) => decodeURIComponent(href).includes('Подписах Декларацията за принципите на #CohesionAlliance')));
    assert.ok(body.includes(`<a href="${page}">Обратно към страницата, на която подписахте</a>`), body);

    // Signed on no partner's page: the campaign's own page is shared, and there is no way back to offer.
    email = `signer.${++signer}@example.org`;
    assert.equal((await t.post(signatureBody({ email }))).status, 202);
    const own = await (await press(t, mailLinks(await sink.nextMailTo(email)).confirm!)).text();
    assert.ok(own.includes(encodeURIComponent(`${PUBLIC_URL}/`)), own);
    assert.doesNotMatch(own, /Back to the page/);
  });

  it('shows what a withdrawal erases, and offers keeping the signature first, which changes nothing', async () => {
    const mail = await signAndReadMail(PETAR);
    const { confirm, withdraw } = mailLinks(mail);
    await press(t, confirm!);
    const askBody = await (await open(t, withdraw!)).text();
    assert.match(askBody, /<dd><bdi>Petar Petrov<\/bdi><\/dd>[\s\S]*<dd><bdi>Secret Org<\/bdi><\/dd>/, 'the details it erases');
    const keep = askBody.match(/<a class="button" href="([^"]+)">Запазвам подписа си<\/a>/);
    assert.ok(keep, askBody);
    assert.ok(askBody.indexOf(keep[0]) < askBody.indexOf('<form method="post" action="/withdraw">'), 'keeping comes first');

    const kept = await t.request(keep[1]!);
    assert.equal(kept.status, 200);
    assert.match(await kept.text(), /<html lang="bg">[\s\S]*<h1>Подписът ви остава<\/h1>/);
    assert.equal(await countOf(t), 1, 'nothing changed');
    assert.equal((await open(t, withdraw!)).status, 200, 'the link still works');
  });

  it('keeps the tokens only as SHA-256 hashes, and out of the logs', async () => {
    const { confirm, withdraw } = mailLinks(await signAndReadMail());
    await open(t, confirm!);
    await press(t, confirm!);
    await open(t, withdraw!);
    const hashes = t.rows('SELECT token_hash FROM link_tokens').map((row) => row.token_hash);
    assert.deepEqual(hashes.sort(), [hashLinkToken(tokenOf(confirm!)), hashLinkToken(tokenOf(withdraw!))].sort());
    const stored = JSON.stringify(['signatures', 'link_tokens'].map((table) => t.rows(`SELECT * FROM ${table}`)));
    const logs = t.logs.join('\n');
    for (const token of [tokenOf(confirm!), tokenOf(withdraw!)]) {
      assert.ok(!stored.includes(token), 'no raw token in the database');
      assert.ok(!logs.includes(token), 'no token in the logs');
    }
    assert.ok(!logs.includes(email));
    const routes = t.logs
      .map((line) => JSON.parse(line))
      .filter((line) => line.event === 'request')
      .map((line) => line.route);
    assert.deepEqual(routes.slice(-3), ['/confirm', '/confirm', '/withdraw']);
  });

  it("answers a link that is not one with a page in the browser's language", async () => {
    for (const link of [`${PUBLIC_URL}/confirm?token=nope`, `${PUBLIC_URL}/withdraw`, `${PUBLIC_URL}/confirm?token=${'A'.repeat(43)}`]) {
      // No messages in Klingon: the next language the browser asks for that we have.
      const page = await open(t, link, { 'Accept-Language': 'tlh;q=0.9, bg;q=0.8, en;q=0.5' });
      assert.equal(page.status, 404, link);
      assert.match(await page.text(), /<html lang="bg">[\s\S]*<h1>Връзката не работи<\/h1>/, link);
    }
    const english = await open(t, `${PUBLIC_URL}/confirm?token=nope`);
    assert.match(await english.text(), /<html lang="en">[\s\S]*<h1>This link does not work<\/h1>/);
    const posted = await t.request('/confirm', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(posted.status, 404);
  });

  it('answers a malformed multipart POST to either link with 400, not 500, and changes nothing', async () => {
    const { confirm } = mailLinks(await signAndReadMail());
    const before = t.snapshot();
    const part = `Content-Disposition: form-data; name="token"\r\n\r\n${tokenOf(confirm!)}`;
    const bodies: Array<[string, string]> = [
      ['multipart/form-data', `token=${tokenOf(confirm!)}`],
      ['multipart/form-data; boundary=b', 'no parts at all'],
      ['multipart/form-data; boundary=b', `--b\r\n${part}`],
      ['multipart/form-data; boundary="', '--'],
    ];
    for (const purpose of ['confirm', 'withdraw']) {
      for (const [contentType, body] of bodies) {
        const answer = await t.request(`/${purpose}`, { method: 'POST', headers: { 'Content-Type': contentType }, body });
        assert.equal(answer.status, 400, `${purpose}: ${contentType}: ${body}`);
      }
    }
    assert.deepEqual(t.snapshot(), before);
    assert.ok(!t.logs.some((line) => line.includes('"unhandled_error"')));
  });

  it('tries again later when the SMTP server refuses at first', async () => {
    sink.refuseNextRecipient();
    const refusedBefore = sink.refused;
    assert.equal((await t.post(signatureBody({ email }))).status, 202);
    await t.mail.worker.wake();
    assert.equal(sink.refused, refusedBefore + 1);
    assert.deepEqual(
      sink.mails.filter((mail) => mail.to.includes(email)),
      [],
    );
    assert.deepEqual(t.rows('SELECT mail_attempts, mail_due_at FROM signatures'), [
      { mail_attempts: 1, mail_due_at: NOW + RETRY_DELAYS_MS[0]! },
    ]);
    const retryLine = t.logs.map((line) => JSON.parse(line)).find((line) => line.event === 'mail_will_retry');
    assert.equal(retryLine?.responseCode, 451);
    assert.ok(!t.logs.join('\n').includes(email), 'no address in the logs');

    t.advanceClock(RETRY_DELAYS_MS[0]! - 1);
    await t.mail.worker.wake();
    assert.equal(t.rows('SELECT * FROM signatures WHERE mail_due_at IS NOT NULL').length, 1, 'not before its time');

    t.advanceClock(1);
    await t.mail.worker.wake();
    const mail = await sink.nextMailTo(email);
    assert.ok(mailLinks(mail).confirm);
    assert.deepEqual(t.rows('SELECT * FROM signatures WHERE mail_due_at IS NOT NULL'), []);
    assert.equal((await press(t, mailLinks(mail).confirm!)).status, 200);
  });

  it('sends after a restart a mail that was queued but not sent', async () => {
    const folder = tempFolder();
    const env = { DATABASE_URL: join(folder.path, 'restart.sqlite'), SMTP_URL: sink.url, PUBLIC_URL };
    try {
      const first = await makeTestApp(env);
      await first.mail.worker.stop();
      assert.equal((await first.post(signatureBody({ email }))).status, 202);
      await first.close();

      const second = await makeTestApp(env);
      second.mail.worker.start();
      await second.mail.worker.wake();
      assert.ok(mailLinks(await sink.nextMailTo(email)).confirm);
      await second.close();
    } finally {
      folder.remove();
    }
  });
});
