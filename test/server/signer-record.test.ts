/**
 * A signer's record is theirs alone: a stranger cannot squat a pending signature, one mailbox
 * signs once, a mail carries nothing a stranger can use against its reader, and no text hides
 * itself. Through the HTTP API, with mails read from the development outbox.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { checkField } from '../../contract/signature.js';
import type { OutboxMail } from '../../server/mail/dev-outbox.js';
import { MAIL_PER_DOMAIN, SIGNING_PER_EMAIL } from '../../server/protection/rate-limits.js';
import { MAIL_RESEND_INTERVAL_MS } from '../../server/store/signature-store.js';
import { newSignature } from './support/fixtures.js';
import { linksIn, open, press, titleIn } from './support/signer-links.js';
import { CAMPAIGN, makeTestApp, signatureBody, type TestApp } from './support/test-app.js';

const LOCAL_URL = 'http://localhost:8787';
const ADMIN_TOKEN = 'a-long-enough-admin-token-for-tests';
const MARIA = 'maria.ivanova@example.org';

describe("a signer's record is theirs alone", () => {
  let t: TestApp;
  afterEach(() => t.close());

  /** Signs, lets the worker send, and returns the answer and the mails to `email` sent since. */
  async function sign(fields: Record<string, unknown>, from?: string) {
    const before = t.mail.devOutbox!.list().length;
    const response = await t.post(signatureBody(fields), from === undefined ? {} : { from });
    await t.mail.worker.wake();
    const mails = t.mail.devOutbox!.list().slice(0, t.mail.devOutbox!.list().length - before);
    return { response, mails };
  }

  const rowsOf = (email: string) => t.rows('SELECT * FROM signatures WHERE lower(email) = lower(?)', email);
  const wall = async () => (await (await t.request(`/api/campaigns/${CAMPAIGN}/supporters`)).json()).supporters;
  const admin = (path: string, method: string, json: unknown) =>
    t.request(`/api/admin${path}`, {
      method,
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(json),
    });

  /** The lines of a mail's details block: indented, after the line that introduces them. */
  const detailsIn = (mail: OutboxMail) => mail.text.split('\n').filter((line) => line.startsWith('  '));

  describe('squatting a pending signature', () => {
    const STRANGER = {
      signerType: 'representative',
      name: 'Maria Ivanova',
      role: 'Member, Some Party',
      email: MARIA,
      listPublicly: true,
      newsletter: true,
      lang: 'en',
    };
    const HERS = { signerType: 'individual', name: 'Maria Ivanova', email: MARIA, listPublicly: false, newsletter: false, lang: 'bg' };

    it("gives the pending signature her details when she signs after a stranger, mails them to her in her language, and only that mail's link confirms", async () => {
      t = await makeTestApp({ DOUBLE_OPT_IN: 'on' });
      const squat = await sign(STRANGER);
      assert.equal(squat.response.status, 202);
      const strangers = linksIn(squat.mails[0]!, LOCAL_URL);

      t.advanceClock(MAIL_RESEND_INTERVAL_MS);
      const real = await sign(HERS);
      assert.equal(real.response.status, 202);
      assert.deepEqual(await real.response.json(), { status: 'pending' });
      assert.equal(real.mails.length, 1, 'she gets a mail of her own');
      const [mail] = real.mails;
      assert.equal(mail!.subject, `Потвърдете подписа си: ${titleIn('bg')}`);
      assert.deepEqual(detailsIn(mail!), [
        '  Подписвам: Като частно лице',
        '  Име и фамилия: “Maria Ivanova”',
        '  Държава: България',
        '  Името ви не се показва в публичния списък на поддръжниците.',
        '  Няма да получавате новини за кампанията.',
      ]);
      assert.doesNotMatch(mail!.text, /Member|Some Party/);

      assert.equal((await press(t, strangers.confirm!)).status, 404, "the stranger's mail confirms nothing");
      const hers = linksIn(mail!, LOCAL_URL);
      assert.equal((await press(t, hers.confirm!)).status, 200);
      const [row] = rowsOf(MARIA);
      assert.deepEqual(
        [row!.status, row!.signer_type, row!.role, row!.list_publicly, row!.newsletter, row!.lang],
        ['confirmed', 'individual', null, 0, 0, 'bg'],
      );
      assert.deepEqual(await wall(), [], 'she chose not to be listed');
    });

    it('shows exactly what will be confirmed in the mail and on the page, before the link and the button', async () => {
      t = await makeTestApp({ DOUBLE_OPT_IN: 'on' });
      const { mails } = await sign({
        signerType: 'organisation',
        name: 'Ana Popescu',
        organisation: 'Regiunea Nord-Est',
        organisationKind: 'regional-authority',
        role: 'Director',
        country: 'RO',
        email: 'ana@example.org',
        listPublicly: true,
        newsletter: true,
      });
      const [mail] = mails;
      const shown = [
        '  I am signing as: On behalf of an organisation',
        '  Full name: “Ana Popescu”',
        '  Name of the organisation: “Regiunea Nord-Est”',
        '  Role or office: “Director”',
        '  Country: Romania',
        '  Your name is shown in the public list of supporters.',
        '  You receive news about the campaign by email.',
      ];
      assert.deepEqual(detailsIn(mail!), shown);
      const { confirm } = linksIn(mail!, LOCAL_URL);
      assert.ok(mail!.text.indexOf(shown[0]!) < mail!.text.indexOf(confirm!), 'the details come before the link');

      const page = await (await open(t, confirm!)).text();
      const list = page.indexOf('<dl>');
      assert.ok(list > 0 && list < page.indexOf('<form'), 'the details come before the button');
      for (const [term, value] of [
        ['I am signing as', 'On behalf of an organisation'],
        ['Full name', 'Ana Popescu'],
        ['Name of the organisation', 'Regiunea Nord-Est'],
        ['Role or office', 'Director'],
        ['Country', 'Romania'],
      ]) {
        assert.ok(page.includes(`<dt>${term}</dt>`) && page.includes(`<dd><bdi>${value}</bdi></dd>`), `${term}: ${value}`);
      }
      assert.match(
        page,
        /Your name is shown in the public list of supporters\.[\s\S]*You receive news about the campaign by email\.[\s\S]*<form/,
      );
    });

    it('changes a confirmed signature only through its own link: withdraw, then sign again', async () => {
      t = await makeTestApp({ DOUBLE_OPT_IN: 'on' });
      const { mails } = await sign(HERS);
      const { confirm, withdraw } = linksIn(mails[0]!, LOCAL_URL);
      await press(t, confirm!);
      const before = rowsOf(MARIA);

      t.advanceClock(MAIL_RESEND_INTERVAL_MS);
      const squat = await sign(STRANGER);
      assert.deepEqual([squat.response.status, await squat.response.json()], [202, { status: 'pending' }]);
      assert.deepEqual(squat.mails, [], 'no mail');
      assert.deepEqual(rowsOf(MARIA), before, 'nothing changed');

      assert.equal((await press(t, withdraw!)).status, 200);
      await sign({ ...HERS, listPublicly: true });
      assert.deepEqual(
        rowsOf(MARIA).map((row) => [row.status, row.list_publicly]),
        [['pending', 1]],
      );
    });
  });

  describe('one mailbox, many signatures', () => {
    it("counts a mailbox once whatever its spelling: case, +tags, Gmail's dots and googlemail.com; keeps and mails the address as typed", async () => {
      t = await makeTestApp({ DOUBLE_OPT_IN: 'off' });
      const counts = [];
      for (const email of [
        'x+1@example.org',
        'x+2@example.org',
        'X@Example.org',
        'd.d@gmail.com',
        'dd@googlemail.com',
        'D.D+cohesion@Gmail.com',
      ]) {
        counts.push((await (await t.post(signatureBody({ email }))).json()).count);
      }
      assert.deepEqual(counts, [1, 1, 1, 2, 2, 2]);
      assert.deepEqual(t.rows('SELECT email, email_key FROM signatures ORDER BY id'), [
        { email: 'x+1@example.org', email_key: 'x@example.org' },
        { email: 'd.d@gmail.com', email_key: 'dd@gmail.com' },
      ]);
      await t.mail.worker.wake();
      assert.deepEqual(
        t.mail
          .devOutbox!.list()
          .map((mail) => mail.to)
          .sort(),
        ['d.d@gmail.com', 'x+1@example.org'],
      );
    });

    it('limits signing per address under the same key', async () => {
      t = await makeTestApp({ RATE_LIMIT: 'on' });
      for (let i = 1; i <= SIGNING_PER_EMAIL.burst; i++) {
        assert.equal((await t.post(signatureBody({ email: `maria+${i}@example.org` }), { from: `203.0.113.${i}` })).status, 202);
      }
      const again = await t.post(signatureBody({ email: 'Maria+again@Example.org' }), { from: '203.0.113.99' });
      assert.equal(again.status, 429);
      assert.ok(t.logs.some((line) => line.includes('"limit":"signing_per_email"')));
    });

    it('erases on request under the canonical key, and rows stored under the old key (the address as typed) too', async () => {
      t = await makeTestApp({ DOUBLE_OPT_IN: 'off', ADMIN_TOKEN });
      await t.post(signatureBody({ email: 'y+news@example.org' }));
      // Stored before keys were canonical: its key is the address, case-folded.
      await t.store.add(newSignature({ email: 'Z+1@example.org', emailKey: 'z+1@example.org' }));

      assert.deepEqual(await (await admin('/erasures', 'POST', { email: 'Y+other@example.org' })).json(), { erased: 1 });
      assert.deepEqual(await (await admin('/erasures', 'POST', { email: 'z+1@example.org' })).json(), { erased: 1 });
      assert.deepEqual(t.rows('SELECT email FROM signatures'), []);
    });
  });

  describe('the mail as a spam and phishing tool', () => {
    const LURE = {
      signerType: 'representative',
      name: 'Hello Security team: verify at https://evil.example/login',
      organisation: 'www.evil.example',
      role: 'Call evil.example/help or mail admin@evil.example',
    };

    it('never puts what a stranger typed where a mail client would link it or read it as ours', async () => {
      t = await makeTestApp({ DOUBLE_OPT_IN: 'on' });
      const { mails } = await sign({ ...LURE, email: 'security@victim.example' });
      const [mail] = mails;
      assert.match(mail!.text, /^Hello,\n\n/, 'no name in the greeting');
      assert.ok(!mail!.subject.includes('evil'));
      // Our own links stand on lines of their own; nothing else may look like an address.
      const ours = mail!.text
        .split('\n')
        .filter((line) => !line.startsWith(`${LOCAL_URL}/`))
        .join('\n');
      assert.doesNotMatch(ours, /[a-z][a-z0-9+.-]*:\/\/|www\.|[\p{L}\p{N}-]\.[\p{L}\p{N}-]|@[\p{L}\p{N}]/iu);
      assert.deepEqual(detailsIn(mail!), [
        '  I am signing as: An elected representative',
        '  Full name: “Hello Security team: verify at https[:]//evil[.]example/login”',
        '  Name of the organisation: “www[.]evil[.]example”',
        '  Role or office: “Call evil[.]example/help or mail admin[@]evil[.]example”',
        '  Country: Bulgaria',
        '  Your name is not shown in the public list of supporters.',
        '  You receive no news about the campaign.',
      ]);
    });

    it('limits the mails to one recipient domain, from however many clients', async () => {
      t = await makeTestApp({ RATE_LIMIT: 'on' });
      for (let i = 0; i < MAIL_PER_DOMAIN.burst; i++) {
        assert.equal(
          (await t.post(signatureBody({ email: `inbox${i}@victim.example` }), { from: `198.51.100.${i}` })).status,
          202,
          `mail ${i + 1}`,
        );
      }
      const more = await t.post(signatureBody({ email: 'one.more@Victim.example' }), { from: '192.0.2.1' });
      assert.equal(more.status, 429);
      assert.equal(more.headers.get('Retry-After'), String(MAIL_PER_DOMAIN.refillMs / 1000));
      assert.ok(t.logs.some((line) => line.includes('"limit":"mail_per_domain"')));
      assert.doesNotMatch(t.logs.join('\n'), /victim/);
      assert.equal((await t.post(signatureBody({ email: 'someone@elsewhere.example' }), { from: '192.0.2.1' })).status, 202);
      t.advanceClock(MAIL_PER_DOMAIN.refillMs);
      assert.equal((await t.post(signatureBody({ email: 'one.more@victim.example' }), { from: '192.0.2.2' })).status, 202);
    });
  });

  describe('text that hides itself', () => {
    const HIDDEN = [
      ['only zero-width characters', '\u200b\u200c\u200d\u2060\ufeff'],
      ['only a Hangul filler', '\u3164'],
      ['only combining marks', '\u0301\u0308'],
      ['a right-to-left override', 'Maria \u202eavonavI'],
      ['a left-to-right embedding', '\u202aMaria'],
      ['a directional isolate', 'Maria \u2066Ivanova\u2069'],
      ['a run of combining marks', `Ma\u0301\u0302\u0303\u0304\u0305ria`],
      ['a leading combining mark', '\u0301Maria'],
    ];
    const SHOWN = [
      'Nguye\u0302\u0303n Văn An',
      'रामकृष्ण',
      'Ελευθέριος',
      'שָׁלוֹם כהן',
      'محمد',
      'Seán Ó Briain',
      'Ana 👩‍💻 Popescu',
      'Włodzimierz Żółć',
    ];

    it('refuses a name, an organisation or a role that hides itself, with a field error', async () => {
      t = await makeTestApp({ DOUBLE_OPT_IN: 'off' });
      for (const [what, text] of HIDDEN) {
        for (const field of ['name', 'organisation', 'role']) {
          const body = signatureBody({ signerType: 'representative', role: 'Mayor', organisation: 'Plovdiv', [field]: text });
          const response = await t.post(body);
          assert.equal(response.status, 400, `${field}: ${what}`);
          assert.deepEqual((await response.json()).fields, { [field]: 'invalid' }, `${field}: ${what}`);
          assert.equal(checkField(field as 'name', text), 'invalid', `the widget's check, ${field}: ${what}`);
        }
      }
      assert.deepEqual(t.rows('SELECT * FROM signatures'), []);
    });

    it('takes names in every script, with the marks they are written with', async () => {
      t = await makeTestApp({ DOUBLE_OPT_IN: 'off' });
      for (const [i, name] of SHOWN.entries()) {
        assert.equal((await t.post(signatureBody({ name, email: `signer${i}@example.org` }))).status, 201, name);
      }
    });

    it('refuses the same in partner names in the admin API', async () => {
      t = await makeTestApp({ ADMIN_TOKEN });
      for (const [what, name] of [...HIDDEN, ['a control character', 'Vi\u0000din']]) {
        const response = await admin('/partners/vidin', 'PUT', { name, origins: [] });
        assert.equal(response.status, 400, what);
        assert.deepEqual((await response.json()).fields, { name: 'invalid' }, what);
      }
      assert.equal((await admin('/partners/vidin', 'PUT', { name: 'Община Видин', origins: [] })).status, 200);
    });
  });
});
