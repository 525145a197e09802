import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emailKey, legacyEmailKey } from '../../server/email-key.js';

describe('emailKey', () => {
  it('gives every spelling of one mailbox one key', () => {
    const mailboxes: Array<[string, string[]]> = [
      ['maria@example.org', ['maria@example.org', ' Maria@Example.ORG ', 'maria+cohesion@example.org', 'MARIA+a+b@example.org']],
      ['dd@gmail.com', ['dd@gmail.com', 'd.d@gmail.com', 'D.D+news@Gmail.com', 'dd@googlemail.com', 'd.d.+x@GoogleMail.com']],
      ['d.d@example.org', ['d.d@example.org', 'D.D+x@example.org']],
    ];
    for (const [key, spellings] of mailboxes) {
      for (const address of spellings) assert.equal(emailKey(address), key, address);
    }
  });

  it('tells different mailboxes apart', () => {
    assert.notEqual(emailKey('maria@example.org'), emailKey('maria@example.com'));
    assert.notEqual(emailKey('dd@gmail.com'), emailKey('dd@gmail.com.example.org'));
    assert.notEqual(emailKey('d.d@example.org'), emailKey('dd@example.org'), 'only Gmail ignores dots');
  });

  it('keeps a local part that is nothing but a tag', () => {
    assert.equal(emailKey('+cohesion@example.org'), '+cohesion@example.org');
  });

  it('keeps the key rows were stored under before keys were canonical: the address, case-folded', () => {
    assert.equal(legacyEmailKey(' D.D+News@Gmail.com '), 'd.d+news@gmail.com');
  });
});
