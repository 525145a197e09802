/**
 * The host page's view of the element's types: this file must type-check (`npm run build` runs tsc),
 * so an event or property renamed without its type breaks the build, not a partner's site.
 */
import { expect } from '@open-wc/testing';
import '../../widget/cohesion-declaration.js';
import type { CohesionSignedDetail } from '../../widget/cohesion-declaration.js';

describe('the element as a typed API', () => {
  it('maps its tag and its events to their types', () => {
    const element = document.createElement('cohesion-declaration');
    element.partner = 'typed';
    element.variant = 'counter';
    let status: CohesionSignedDetail['status'] | undefined;
    element.addEventListener('cohesion-signed', (event) => (status = event.detail.status));
    element.addEventListener('cohesion-count', (event) => expect(event.detail.count).to.be.a('number'));
    element.dispatchEvent(new CustomEvent('cohesion-signed', { detail: { campaign: 'c', status: 'pending' } }));
    expect(status).to.equal('pending');
  });

  it('types its events where they bubble to: the document and the window', () => {
    const kinds: string[] = [];
    // Typed, or `event.detail` would not compile: these listeners get `CustomEvent<CohesionErrorDetail>`.
    const onDocument = (event: DocumentEventMap['cohesion-error']) => kinds.push(`document: ${event.detail.kind}`);
    const onWindow = (event: WindowEventMap['cohesion-error']) => kinds.push(`window: ${event.detail.kind}`);
    document.addEventListener('cohesion-error', onDocument);
    window.addEventListener('cohesion-error', onWindow);
    try {
      document.body.dispatchEvent(new CustomEvent('cohesion-error', { detail: { kind: 'network' }, bubbles: true }));
    } finally {
      document.removeEventListener('cohesion-error', onDocument);
      window.removeEventListener('cohesion-error', onWindow);
    }
    expect(kinds).to.deep.equal(['document: network', 'window: network']);
  });
});
