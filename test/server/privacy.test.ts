/**
 * No personal data in public responses or logs: every answer the server gives in a whole signing
 * story (reads, signing that works and fails in every way, the links in the mail, the event
 * stream, pages and errors), status line, headers and body, is scanned for the signers' email
 * addresses, names and client addresses. Only the mails themselves carry them, and the page of a
 * mail's confirmation link its own signer's details.
 */
import { createNodeServer } from '../../server/http/node-server.js';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { readyAltcha } from './support/altcha.js';
import { linksIn, tokenOf } from './support/signer-links.js';
import { CAMPAIGN, SIGNATURES_URL, makeTestApp, signatureBody, type TestApp } from './support/test-app.js';

const SIGNERS = [
  { name: 'Ana Petrova', email: 'ana.petrova@example.org' },
  { name: 'Ivan Georgiev', email: 'Ivan.Georgiev+alliance@Example.ORG' },
  { name: 'Zoé Müller', email: 'zoe.mueller@beispiel.de' },
];
const LOCAL_URL = 'http://localhost:8787';
const CLIENT = '198.51.100';

describe('no personal data in public responses', () => {
  let t: TestApp;
  let client = 0;
  /** Everything the server answered, as text: status, headers, body. */
  const answers: string[] = [];

  async function record(what: string, response: Response) {
    answers.push(
      `${what}\n${response.status}\n${[...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}\n${await response.text()}`,
    );
    return response.status;
  }

  /** A request from a client address of its own, recorded. */
  const call = async (path: string, init: RequestInit = {}) => record(path, await t.request(path, init, { from: `${CLIENT}.${++client}` }));
  /**
   * The confirmation and withdrawal pages show what their signer is confirming or withdrawing,
   * their name too: to the holder of its link (the mailbox's owner) alone, never cached. Recorded without that one name, so that
   * the scan below still finds anyone else's data, and any address, in it.
   */
  const callOwnPage = async (path: string, name: string) => {
    const response = await t.request(path, {}, { from: `${CLIENT}.${++client}` });
    const page = await response.text();
    assert.ok(page.includes(name), 'the page shows what its signer confirms');
    assert.equal(response.headers.get('Cache-Control'), 'no-store');
    return record(path, new Response(page.replaceAll(name, ''), response));
  };
  const sign = (fields: Record<string, unknown>, headers: Record<string, string> = {}) =>
    call(SIGNATURES_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://plovdiv.bg', ...headers },
      body: JSON.stringify(signatureBody(fields)),
    });

  before(async () => {
    t = await makeTestApp({
      BOT_PROTECTION: 'on',
      RATE_LIMIT: 'on',
      DOUBLE_OPT_IN: 'on',
      PARTNER_ORIGINS: '{"plovdiv":["https://plovdiv.bg"]}',
    });
  });
  after(() => t.close());

  it('holds through a whole signing story', async () => {
    const [ana, ivan, zoe] = SIGNERS as [(typeof SIGNERS)[0], (typeof SIGNERS)[0], (typeof SIGNERS)[0]];
    for (const path of ['', '?lang=bg', '/count', '/count?partner=plovdiv', '/challenge']) await call(`/api/campaigns/${CAMPAIGN}${path}`);

    // Signing, and every way it can be refused.
    for (const { name, email } of SIGNERS) assert.equal(await sign({ name, email, partner: 'plovdiv', altcha: await readyAltcha(t) }), 202);
    const spent = await readyAltcha(t);
    assert.equal(await sign({ ...ana, altcha: spent }), 202, 'a duplicate');
    assert.equal(await sign({ ...ivan, altcha: spent }), 400, 'a replay');
    assert.equal(await sign({ ...ivan }), 400, 'no proof of work');
    assert.equal(await sign({ ...zoe, country: 'Germany', altcha: await readyAltcha(t) }), 400, 'a bad field');
    assert.equal(await sign({ ...zoe, nickname: zoe.name, altcha: await readyAltcha(t) }), 400, 'an unknown field');
    assert.equal(await sign({ ...ana, website: 'x', altcha: await readyAltcha(t) }), 202, 'the honeypot');
    assert.equal(await sign({ ...ana }, { Origin: 'https://evil.example' }), 403);
    assert.equal(await sign({ ...ana, name: 'x'.repeat(9000) }), 413);
    assert.equal(await sign({ ...ana }, { 'Content-Type': 'text/plain' }), 415);
    assert.equal(
      await call(SIGNATURES_URL, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: `{"email":"${ana.email}"` }),
      400,
    );
    for (let i = 0; i < 3; i++) await sign({ ...ivan, altcha: await readyAltcha(t) });
    assert.equal(await sign({ ...ivan, altcha: await readyAltcha(t) }), 429, 'too often for one address');

    // The links in the mails, as a browser follows them.
    await t.mail.worker.wake();
    const mails = t.mail.devOutbox!.list();
    assert.ok(mails.length >= SIGNERS.length);
    for (const mail of mails) {
      const { confirm, withdraw } = linksIn(mail, LOCAL_URL);
      for (const link of [confirm, withdraw]) {
        assert.doesNotMatch(link!, /@|%40/, 'no address in a link');
        const { pathname, search } = new URL(link!);
        // Both pages show the signer what their button confirms or withdraws.
        await callOwnPage(`${pathname}${search}`, SIGNERS.find(({ email }) => email === mail.to)!.name);
      }
      const form = (link: string) => ({
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: tokenOf(link) }).toString(),
      });
      await call('/confirm', form(confirm!));
      await call('/confirm', form(confirm!));
      if (mail.to === zoe.email) await call('/withdraw', form(withdraw!));
    }

    // Counts, streams, pages and errors afterwards.
    for (const path of ['', '/count', '/count?partner=plovdiv']) await call(`/api/campaigns/${CAMPAIGN}${path}`);
    for (const path of ['/healthz', '/', '/privacy', '/api/nothing', '/confirm?token=nope']) await call(path);
    assert.equal(await call('/dev/outbox'), 404, 'the development outbox is for this machine only');
    // The stream never ends: its start, over a real socket.
    answers.push(await streamText(t));

    const text = answers.join('\n\n').toLowerCase();
    for (const { name, email } of SIGNERS) {
      for (const secret of [email, email.toLowerCase(), email.split('@')[0]!, name]) {
        assert.ok(!text.includes(secret.toLowerCase()), `"${secret}" in an answer`);
      }
    }
    assert.ok(answers.length > 40, `${answers.length} answers scanned`);
    assert.match(text, /event: count/, 'the stream is among them');
    assert.match(text, /<form method="post" action="\/confirm">/, 'and the pages of the links');
  });

  it('holds for the logs of that story too: no addresses, names or client IPs', () => {
    const logs = t.logs.join('\n').toLowerCase();
    for (const { name, email } of SIGNERS) {
      for (const secret of [email, email.split('@')[0]!, name]) assert.ok(!logs.includes(secret.toLowerCase()), `"${secret}" in the logs`);
    }
    assert.ok(!logs.includes(CLIENT));
  });
});

/** The start of the live count's event stream, over a real socket: headers and first event. */
async function streamText(t: TestApp): Promise<string> {
  const server = createNodeServer(t.app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/campaigns/${CAMPAIGN}/stream?partner=plovdiv`;
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => http.get(url, resolve).once('error', reject));
    response.setEncoding('utf8');
    const [first] = (await once(response, 'data')) as [string];
    response.destroy();
    return `${response.statusCode}\n${JSON.stringify(response.headers)}\n${first}`;
  } finally {
    (server as http.Server).closeAllConnections();
    server.close();
  }
}
