/**
 * StoreHealth, the part both stores share: what a fault that passes and a failure do to the
 * calls, to healthy() and to the failure listeners. The stores' own readings of their errors are
 * held by the store contract and the storage fault tests.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreHealth, StoreUnavailableError, type StoreFault } from '../../server/store/store-health.js';

class TestError extends Error {
  constructor(readonly fault?: StoreFault) {
    super(fault ?? 'a bug');
  }
}

const health = () => new StoreHealth((error) => (error instanceof TestError ? error.fault : undefined));
const fail = (fault?: StoreFault) => () => {
  throw new TestError(fault);
};
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('StoreHealth', () => {
  it('passes other errors on as they are, and stays healthy', async () => {
    const store = health();
    await assert.rejects(store.write(fail()), (error) => error instanceof TestError);
    assert.equal(await store.healthy(() => 1, fail('unavailable')), true, 'no probe needed');
  });

  it('refuses a call with StoreUnavailableError for a fault that passes, and is healthy again once a probe succeeds', async () => {
    const store = health();
    const refused = await store.read(fail('unavailable')).catch((error: unknown) => error);
    assert.ok(refused instanceof StoreUnavailableError);
    assert.equal(refused.fault, 'unavailable');
    assert.ok(refused.cause instanceof TestError);

    assert.equal(await store.healthy(() => 1, fail('unavailable')), false, 'the probe fails');
    assert.equal(await store.write(() => 'written'), 'written', 'writes are still tried');
    assert.equal(await store.healthy(fail('unavailable'), () => 1), true, 'the probe succeeds; the ping is not asked');
    assert.equal(await store.healthy(() => 1, fail('unavailable')), true, 'healthy: only the ping is asked');
  });

  it('after a failure refuses every write without running it, is never healthy again, and tells its listeners once', async () => {
    const store = health();
    const heard: StoreUnavailableError[] = [];
    store.onFailure((error) => heard.push(error));
    await assert.rejects(store.write(fail('failed')), (error) => error instanceof StoreUnavailableError && error.fault === 'failed');
    assert.deepEqual(heard, [], 'not before the refused call is answered');
    await nextTurn();
    assert.equal(heard.length, 1);

    let ran = false;
    await assert.rejects(
      store.write(() => (ran = true)),
      StoreUnavailableError,
    );
    assert.equal(ran, false);
    await assert.rejects(store.write(fail('unavailable')), StoreUnavailableError);
    await assert.rejects(store.write(fail('failed')), StoreUnavailableError);
    assert.equal(
      await store.healthy(
        () => 1,
        () => 1,
      ),
      false,
    );
    await nextTurn();
    assert.equal(heard.length, 1, 'once');
  });
});
