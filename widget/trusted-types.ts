/**
 * A page may list the Trusted Types policies it allows (CSP `trusted-types …` with
 * `require-trusted-types-for 'script'`). Where it does not allow Lit's, `lit-html`, Lit throws
 * into the host page as it loads. This module is the entry's first import, so it runs before
 * Lit: while Lit loads, a refused `lit-html` policy is noted instead of thrown, and the entry then
 * defines no element and says why (a `cohesion-error` of kind `csp`).
 */
type PolicyFactory = { createPolicy(name: string, rules: object): unknown };

const factory = (globalThis as { trustedTypes?: PolicyFactory }).trustedTypes;
const create = factory?.createPolicy;
let refused = false;
if (factory) {
  factory.createPolicy = function (name, rules) {
    try {
      return create!.call(this, name, rules);
    } catch (error) {
      if (name !== 'lit-html') throw error;
      refused = true;
      return undefined;
    }
  };
}

/** Gives the page its own createPolicy back; whether the page refused Lit's policy. */
export function litPolicyRefused(): boolean {
  if (factory) factory.createPolicy = create!;
  return refused;
}
