/**
 * Retention: unconfirmed signatures are erased RETAIN_UNCONFIRMED_DAYS after their last mail;
 * confirmed ones lose their personal data after RETAIN_CONFIRMED_DAYS (0: never) and stay counted.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { RetentionJob } from '../../server/retention.js';
import { silentLogger } from '../../server/logger.js';
import { countOf } from './support/signer-links.js';
import { makeTestApp, signatureBody, type TestApp } from './support/test-app.js';

const DAY = 24 * 60 * 60_000;

describe('the retention job', () => {
  let t: TestApp;
  afterEach(() => t.close());

  /** A job on the app's store and clock, with the app's settings. */
  const jobFor = (t: TestApp, days: { retainUnconfirmedDays: number; retainConfirmedDays: number }) => {
    let time = 0;
    const job = new RetentionJob({ store: t.store, config: days, now: () => time, logger: silentLogger });
    return { run: (at: number) => ((time = at), job.run()) };
  };
  const createdAt = (email: string) => t.rows('SELECT created_at FROM signatures WHERE email = ?', email)[0]!.created_at as number;

  it('erases a signature never confirmed 30 days after its mail, and keeps confirmed ones whole by default', async () => {
    t = await makeTestApp({ DOUBLE_OPT_IN: 'on' });
    await t.post(signatureBody({ email: 'pending@example.org' }));
    const start = createdAt('pending@example.org');
    const job = jobFor(t, { retainUnconfirmedDays: 30, retainConfirmedDays: 0 });

    await job.run(start + 30 * DAY);
    assert.equal(t.rows('SELECT * FROM signatures').length, 1, 'not before the 30 days are over');
    await job.run(start + 30 * DAY + 1);
    assert.deepEqual(t.rows('SELECT * FROM signatures'), []);
    assert.deepEqual(t.rows('SELECT * FROM link_tokens'), []);
  });

  it('strips name, email, organisation and role from confirmed signatures after RETAIN_CONFIRMED_DAYS; the count stays', async () => {
    t = await makeTestApp({ DOUBLE_OPT_IN: 'off' });
    await t.post(signatureBody({ signerType: 'representative', role: 'Mayor', organisation: 'Plovdiv', partner: 'plovdiv' }));
    await t.mail.worker.wake();
    const start = createdAt('maria.ivanova@example.org');
    const job = jobFor(t, { retainUnconfirmedDays: 30, retainConfirmedDays: 365 });

    await job.run(start + 365 * DAY);
    assert.equal(t.rows('SELECT name FROM signatures')[0]!.name, 'Maria Ivanova', 'kept for the 365 days');
    await job.run(start + 365 * DAY + 1);
    const [row] = t.rows('SELECT * FROM signatures');
    assert.deepEqual(
      { name: row!.name, email: row!.email, organisation: row!.organisation, role: row!.role, key: row!.email_key },
      { name: '', email: '', organisation: null, role: null, key: `erased:${row!.id}` },
    );
    assert.deepEqual([row!.status, row!.country, row!.partner, row!.signer_type], ['confirmed', 'BG', 'plovdiv', 'representative']);
    assert.equal(await countOf(t), 1);
    assert.doesNotMatch(JSON.stringify(t.rows('SELECT * FROM signatures')), /maria|ivanova|mayor/i);
  });

  it('logs what it did, in numbers only, and a failure without stopping', async () => {
    t = await makeTestApp({ DOUBLE_OPT_IN: 'on' });
    await t.post(signatureBody());
    const lines: string[] = [];
    const logger = { ...silentLogger, info: (event: string, fields = {}) => lines.push(JSON.stringify({ event, ...fields })) };
    const failing = {
      ...t.store,
      eraseExpired: () => Promise.reject(Object.assign(new Error('maria.ivanova@example.org'), { code: 'SQLITE_BUSY' })),
    };
    const errors: string[] = [];
    const config = { retainUnconfirmedDays: 30, retainConfirmedDays: 0 };
    await new RetentionJob({ store: t.store, config, now: () => createdAt('maria.ivanova@example.org') + 31 * DAY, logger }).run();
    assert.deepEqual(lines, ['{"event":"retention","erased":1,"anonymised":0}']);
    const errorLogger = { ...silentLogger, error: (event: string, fields = {}) => errors.push(JSON.stringify({ event, ...fields })) };
    await new RetentionJob({ store: failing, config, now: Date.now, logger: errorLogger }).run();
    assert.deepEqual(errors, ['{"event":"retention_failed","name":"Error","code":"SQLITE_BUSY"}']);
  });
});
