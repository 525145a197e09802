/**
 * What every SignatureStore must do. Each implementation's test file calls `storeContract` with
 * a way to get a fresh, empty database of its kind.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { SignatureStore } from '../../server/store/signature-store.js';
import { newSignature } from './fixtures.js';

export interface TestDatabase {
  /** Opens a store on this database; after `close()`, opening again must see the same data. */
  open(): Promise<SignatureStore>;
  /** Deletes the database. */
  destroy(): Promise<void>;
}

const CAMPAIGN = 'cohesion-alliance';

export function storeContract(name: string, makeDatabase: () => Promise<TestDatabase>) {
  describe(`SignatureStore contract: ${name}`, () => {
    let database: TestDatabase;
    let store: SignatureStore;

    beforeEach(async () => {
      database = await makeDatabase();
      store = await database.open();
    });

    afterEach(async () => {
      await store.close();
      await database.destroy();
    });

    it('counts zero for a campaign nobody has signed', async () => {
      assert.equal(await store.count(CAMPAIGN), 0);
      assert.equal(await store.partnerCount(CAMPAIGN, 'plovdiv'), 0);
    });

    it('adds a confirmed signature and counts it', async () => {
      assert.deepEqual(await store.add(newSignature()), { outcome: 'added' });
      assert.equal(await store.count(CAMPAIGN), 1);
    });

    it('answers duplicate for an email key that already signed, and changes no count', async () => {
      const first = newSignature({ partner: 'plovdiv' });
      await store.add(first);
      const again = newSignature({ emailKey: first.emailKey, email: first.email, partner: 'plovdiv' });
      assert.deepEqual(await store.add(again), { outcome: 'duplicate' });
      assert.equal(await store.count(CAMPAIGN), 1);
      assert.equal(await store.partnerCount(CAMPAIGN, 'plovdiv'), 1);
    });

    it('does not count a pending signature, nor a confirmed duplicate of it', async () => {
      const pending = newSignature({ status: 'pending', partner: 'plovdiv' });
      assert.deepEqual(await store.add(pending), { outcome: 'added' });
      assert.deepEqual(await store.add({ ...pending, status: 'confirmed' }), { outcome: 'duplicate' });
      assert.equal(await store.count(CAMPAIGN), 0);
      assert.equal(await store.partnerCount(CAMPAIGN, 'plovdiv'), 0);
    });

    it('lets the same email key sign another campaign', async () => {
      const signature = newSignature();
      await store.add(signature);
      assert.deepEqual(await store.add({ ...signature, campaign: 'other-campaign' }), { outcome: 'added' });
      assert.equal(await store.count(CAMPAIGN), 1);
      assert.equal(await store.count('other-campaign'), 1);
    });

    it('counts per campaign and per partner', async () => {
      await store.add(newSignature({ partner: 'plovdiv' }));
      await store.add(newSignature({ partner: 'plovdiv' }));
      await store.add(newSignature({ partner: 'ruse' }));
      await store.add(newSignature());
      await store.add(newSignature({ campaign: 'other-campaign', partner: 'plovdiv' }));
      assert.equal(await store.count(CAMPAIGN), 4);
      assert.equal(await store.count('other-campaign'), 1);
      assert.equal(await store.partnerCount(CAMPAIGN, 'plovdiv'), 2);
      assert.equal(await store.partnerCount(CAMPAIGN, 'ruse'), 1);
      assert.equal(await store.partnerCount('other-campaign', 'plovdiv'), 1);
      assert.equal(await store.partnerCount(CAMPAIGN, 'nobody'), 0);
    });

    it('counts 500 concurrent adds, with duplicates among them, exactly once each', async () => {
      const signatures = Array.from({ length: 500 }, () => newSignature({ partner: 'plovdiv' }));
      const duplicates = signatures.slice(0, 100).map((signature) => ({ ...signature, name: 'Someone else' }));
      const results = await Promise.all([...signatures, ...duplicates].map((signature) => store.add(signature)));
      const outcomes = results.map((result) => result.outcome);
      assert.equal(outcomes.filter((outcome) => outcome === 'added').length, 500);
      assert.equal(outcomes.filter((outcome) => outcome === 'duplicate').length, 100);
      assert.equal(await store.count(CAMPAIGN), 500);
      assert.equal(await store.partnerCount(CAMPAIGN, 'plovdiv'), 500);
    });

    it('keeps signatures and counts after close and reopen', async () => {
      const kept = newSignature({ partner: 'ruse' });
      await store.add(kept);
      await store.add(newSignature({ status: 'pending' }));
      await store.close();
      store = await database.open();
      assert.equal(await store.count(CAMPAIGN), 1);
      assert.equal(await store.partnerCount(CAMPAIGN, 'ruse'), 1);
      assert.deepEqual(await store.add({ ...kept, name: 'Again' }), { outcome: 'duplicate' });
    });

    it('writes adds still queued when it closes', async () => {
      const pending = [store.add(newSignature()), store.add(newSignature())];
      await store.close();
      assert.deepEqual(await Promise.all(pending), [{ outcome: 'added' }, { outcome: 'added' }]);
      store = await database.open();
      assert.equal(await store.count(CAMPAIGN), 2);
    });

    it('tells count listeners after a commit that changed a count, and only then', async () => {
      const heard: Array<[string, number]> = [];
      const stop = store.onCount((campaign, count) => heard.push([campaign, count]));
      const first = newSignature();
      await store.add(first);
      await store.add(newSignature({ status: 'pending' }));
      await store.add({ ...first });
      await store.add(newSignature({ campaign: 'other-campaign' }));
      assert.deepEqual(heard, [
        [CAMPAIGN, 1],
        ['other-campaign', 1],
      ]);
      stop();
      await store.add(newSignature());
      assert.equal(heard.length, 2);
    });

    it('tells listeners the latest count once per commit when adds arrive together', async () => {
      const heard: number[] = [];
      store.onCount((_campaign, count) => heard.push(count));
      await Promise.all(Array.from({ length: 20 }, () => store.add(newSignature())));
      assert.ok(heard.length >= 1 && heard.length <= 20);
      assert.equal(heard.at(-1), 20);
      assert.deepEqual(heard, [...heard].sort((a, b) => a - b));
    });

    it('is healthy while open, and refuses adds once closed', async () => {
      assert.equal(await store.healthy(), true);
      await store.close();
      assert.equal(await store.healthy(), false);
      await assert.rejects(store.add(newSignature()));
      store = await database.open();
    });
  });
}
