import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createJsonLogger } from '../../server/logger.js';
import { MailWorker, RETRY_DELAYS_MS } from '../../server/mail/mail-worker.js';
import type { MailMessage } from '../../server/mail/mailer.js';
import { openStore } from '../../server/store/open-store.js';
import type { SignatureStore } from '../../server/store/signature-store.js';
import { newSignature } from './support/fixtures.js';
import { postgresBehindSwitch, type PostgresOutage } from './support/postgres-outage.js';
import { createTestSchema, skipWithoutPostgres, type TestSchema } from './support/postgres-test-database.js';

const T = 1_800_000_000_000;

describe('MailWorker', () => {
  let store: SignatureStore;
  let time: number;
  let attempts: number;
  let logs: Array<Record<string, unknown>>;
  let worker: MailWorker;

  beforeEach(async () => {
    store = await openStore(':memory:');
    time = T;
    attempts = 0;
    logs = [];
    worker = new MailWorker({
      store,
      mailer: {
        send: async () => {
          attempts += 1;
          throw Object.assign(new Error('Connection refused by mail.example.org for signer@example.org'), { code: 'ESOCKET' });
        },
      },
      write: (job, tokens): MailMessage => ({ to: job.email, subject: 'Subject', text: JSON.stringify(tokens), html: '' }),
      now: () => time,
      logger: createJsonLogger('debug', (line) => logs.push(JSON.parse(line))),
    });
  });
  afterEach(async () => {
    await worker.stop();
    await store.close();
  });

  it('tries a failing mail after each pause of RETRY_DELAYS_MS, then gives it up', async () => {
    await store.add(newSignature({ status: 'pending', createdAt: T }));
    await worker.wake();
    for (const delay of RETRY_DELAYS_MS) {
      time += delay - 1;
      await worker.wake();
      time += 1;
      await worker.wake();
    }
    assert.equal(attempts, RETRY_DELAYS_MS.length + 1);
    assert.deepEqual(
      logs.map((line) => line.event),
      [...RETRY_DELAYS_MS.map(() => 'mail_will_retry'), 'mail_given_up'],
    );
    assert.deepEqual(logs[0], {
      time: logs[0]!.time,
      level: 'warn',
      event: 'mail_will_retry',
      mail: 1,
      attempt: 1,
      code: 'ESOCKET',
      inSeconds: 60,
    });
    assert.doesNotMatch(JSON.stringify(logs), /example\.org/, 'no addresses from error messages');
    time += 365 * 24 * 3_600_000;
    await worker.wake();
    assert.equal(attempts, RETRY_DELAYS_MS.length + 1, 'given up for good');
  });

  it('once stopped, takes no more mails', async () => {
    await worker.stop();
    await store.add(newSignature({ createdAt: T }));
    await worker.wake();
    assert.equal(attempts, 0);
    assert.equal((await store.claimMails(T, 10, 1000)).length, 1, 'still queued for the next start');
  });
});

describe('MailWorker under load', () => {
  let store: SignatureStore;
  let sent: string[];
  let worker: MailWorker;
  let spinning: NodeJS.Timeout | undefined;

  /** Keeps the event loop about 90% busy, as a rush of requests would. */
  const spin = () => {
    spinning = setInterval(() => {
      const until = performance.now() + 9;
      while (performance.now() < until);
    }, 1);
  };
  const rest = () => clearInterval(spinning);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeEach(async () => {
    store = await openStore(':memory:');
    sent = [];
    worker = new MailWorker({
      store,
      mailer: { send: async (message) => void sent.push(message.to) },
      write: (job): MailMessage => ({ to: job.email, subject: 'Subject', text: '', html: '' }),
      now: () => T,
      logger: createJsonLogger('error', () => {}),
    });
  });
  afterEach(async () => {
    rest();
    await worker.stop();
    await store.close();
  });

  it('lets the requests go first: mails wait while the event loop is busy', async () => {
    const signature = newSignature({ createdAt: T });
    await store.add(signature);
    spin();
    const done = worker.wake();
    await sleep(600);
    assert.deepEqual(sent, [], 'not while busy');
    rest();
    await done;
    assert.deepEqual(sent, [signature.email], 'sent once the rush is over');
  });

  it('still sends under a rush that does not end', async () => {
    const signature = newSignature({ createdAt: T });
    await store.add(signature);
    spin();
    await worker.wake();
    assert.deepEqual(sent, [signature.email]);
  });
});

describe('MailWorker when PostgreSQL stops with mails claimed', { skip: skipWithoutPostgres }, () => {
  let schema: TestSchema;
  let postgres: PostgresOutage;
  let store: SignatureStore;
  let time: number;
  let sent: string[];
  /** Runs once, right after the next claim, or right after the next mail is sent. */
  let afterClaim: (() => Promise<void>) | undefined;
  let afterSend: (() => Promise<void>) | undefined;
  let worker: MailWorker;

  beforeEach(async () => {
    schema = await createTestSchema();
    postgres = await postgresBehindSwitch(schema.url);
    store = await openStore(postgres.url);
    time = T;
    sent = [];
    const claimThenFault: SignatureStore['claimMails'] = async (...args) => {
      const jobs = await store.claimMails(...args);
      const fault = afterClaim;
      afterClaim = undefined;
      await fault?.();
      return jobs;
    };
    worker = new MailWorker({
      store: new Proxy(store, {
        get: (target, key) => (key === 'claimMails' ? claimThenFault : Reflect.get(target, key).bind(target)),
      }),
      mailer: {
        send: async (message) => {
          sent.push(message.to);
          const fault = afterSend;
          afterSend = undefined;
          await fault?.();
        },
      },
      write: (job): MailMessage => ({ to: job.email, subject: 'Subject', text: '', html: '' }),
      now: () => time,
      logger: createJsonLogger('silent', () => {}),
    });
  });
  afterEach(async () => {
    await worker.stop();
    await store.close();
    await postgres.close();
    await schema.drop();
  });

  it('releases the mails it claimed, so they go out as soon as PostgreSQL is back, not once their lease runs out', async () => {
    const signature = newSignature({ status: 'pending', createdAt: T });
    await store.add(signature);
    afterClaim = () => postgres.stop();
    await worker.wake();
    assert.deepEqual(sent, [], 'no mail without its links stored');

    await postgres.start();
    time += 5_000;
    await worker.wake();
    assert.deepEqual(sent, [signature.email]);
  });

  it('settles a mail it sent once PostgreSQL is back, and never sends it twice', async () => {
    const signature = newSignature({ createdAt: T });
    await store.add(signature);
    afterSend = () => postgres.stop();
    await worker.wake();
    assert.deepEqual(sent, [signature.email]);

    await postgres.start();
    time += 5_000;
    await worker.wake();
    assert.deepEqual(await store.claimMails(T + 60 * 60_000, 10, 60_000), [], 'settled: not due again');
    assert.deepEqual(sent, [signature.email]);
  });
});
