/**
 * Partner pages with a strict Content Security Policy: scripts only from the page and the
 * server, and Trusted Types enforced for every DOM sink. Each page is a frame with its own
 * policy in a `<meta>`, loading the BUILT script from the API server, as a partner's would.
 */
import { expect } from '@open-wc/testing';
import { API, waitFor } from './support/helpers.js';

interface Recorded {
  /** Uncaught errors and unhandled rejections of the page, and its console errors. */
  problems: string[];
  consoleErrors: string[];
  kinds: string[];
}

/** A page whose policy allows the Trusted Types policies `trustedTypes`, with the snippet and a recorder (an inline script). */
async function pageWith(trustedTypes: string) {
  const policy = [
    `script-src 'unsafe-inline' ${API}`,
    `connect-src ${API}`,
    "require-trusted-types-for 'script'",
    `trusted-types ${trustedTypes}`,
  ].join('; ');
  const frame = document.createElement('iframe');
  frame.srcdoc = `<!doctype html><html lang="en"><head><meta charset="utf-8">
    <meta http-equiv="Content-Security-Policy" content="${policy}">
    <script>
      window.recorded = { problems: [], consoleErrors: [], kinds: [] };
      addEventListener('error', (event) => recorded.problems.push(String(event.message)));
      addEventListener('unhandledrejection', (event) => recorded.problems.push(String(event.reason)));
      const consoleError = console.error;
      console.error = (...args) => { recorded.consoleErrors.push(args.join(' ')); consoleError(...args); };
      document.addEventListener('cohesion-error', (event) => recorded.kinds.push(event.detail.kind));
    </script>
    <script type="module" src="${API}/widget/cohesion-declaration.js"></script>
    </head><body><cohesion-declaration partner="csp-test"></cohesion-declaration></body></html>`;
  document.body.append(frame);
  await waitFor(() => (frame.contentWindow as (Window & { recorded?: Recorded }) | null)?.recorded, 'the page did not start');
  const window = frame.contentWindow as Window & { recorded: Recorded };
  return { frame, window, element: () => frame.contentDocument!.querySelector('cohesion-declaration')! };
}

describe('a partner page with a strict Content Security Policy and Trusted Types', () => {
  it('that allows `lit-html`: the widget works, and the page hears no error', async () => {
    const { frame, window, element } = await pageWith('lit-html');
    try {
      await waitFor(() => element().shadowRoot?.querySelector('[part=counter] .goal')?.textContent?.trim(), 'the widget did not load');
      expect(window.recorded).to.deep.equal({ problems: [], consoleErrors: [], kinds: [] });
    } finally {
      frame.remove();
    }
  });

  it('that does not: nothing thrown into the page, a `csp` error, one console message naming the policy', async () => {
    const { frame, window, element } = await pageWith('default');
    try {
      await waitFor(() => window.recorded.kinds.length, 'no cohesion-error');
      expect(window.recorded.kinds).to.deep.equal(['csp']);
      expect(window.recorded.problems).to.deep.equal([]);
      expect(window.recorded.consoleErrors).to.have.length(1);
      expect(window.recorded.consoleErrors[0]).to.contain('`lit-html`');
      expect(frame.contentWindow!.customElements.get('cohesion-declaration')).to.equal(undefined);
      // The page's own policy factory is as it was: a refused policy throws again.
      const factory = (frame.contentWindow as unknown as { trustedTypes: { createPolicy(name: string, rules: object): unknown } })
        .trustedTypes;
      expect(() => factory.createPolicy('lit-html', {})).to.throw();
      expect(element().shadowRoot).to.equal(null);
    } finally {
      frame.remove();
    }
  });
});
