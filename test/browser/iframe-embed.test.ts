/**
 * The iframe embed, as a partner whose CMS strips scripts pastes it: the builder's iframe snippet
 * on this page (the test runner's origin, a registered partner's), the embed page from the API
 * server's origin inside it. The frame is out of this page's reach, as it is of a partner's:
 * the test drives it through the test runner (support/frame-plugin.mjs).
 */
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { EMBED_HEIGHTS, EMBED_VARIANTS, HEIGHT_MESSAGE, iframeSnippet, type EmbedOptions } from '../../contract/embed.js';
import { API, PROTECTED_API, adminFetch, uniqueEmail, waitFor } from './support/helpers.js';

const CAMPAIGN = 'cohesion-alliance';
const PARTNER = 'iframe-embed-test';
/**
 * The frames that only show go to the second server, so that what they read (the walls, cached
 * a minute) is not in the browser's cache when other test files read the first.
 */
const SHOWING_API = PROTECTED_API;

/** Runs `fn` (no closures: it is sent as source) in the frame whose address contains `url`. */
const inFrame = <T>(url: string, fn: (...args: never[]) => T | Promise<T>, ...args: unknown[]) =>
  executeServerCommand<T, { url: string; fn: string; args: unknown[] }>('evaluate-in-frame', { url, fn: fn.toString(), args });

/** In the frame: once the widget has loaded its campaign, the height of the embed page's content. */
const contentHeight = (url: string) =>
  inFrame(url, async () => {
    const element = document.querySelector('cohesion-declaration')!;
    for (;;) {
      await new Promise(requestAnimationFrame);
      if (element.shadowRoot?.querySelector('[part=counter] .goal')?.textContent?.trim()) break;
    }
    await (element as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    return Math.ceil(document.documentElement.getBoundingClientRect().height);
  });

let frames = 0;
/** Pastes the iframe snippet for `server` into a column of `width` px on this page; resolves with its iframe, loaded, and its address. */
async function paste(options: Omit<EmbedOptions, 'campaign'>, width = 360, server = SHOWING_API) {
  // A marker of our own in the address, so each frame can be told apart.
  const partner = options.partner ?? `frame-${++frames}`;
  const holder = document.createElement('div');
  // In view, or the lazy frame would never load.
  holder.style.cssText = `position: fixed; inset-block-start: 0; inset-inline-start: 0; inline-size: ${width}px;`;
  holder.innerHTML = iframeSnippet(server, { campaign: CAMPAIGN, ...options, partner }, 'The declaration');
  const frame = holder.querySelector('iframe')!;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(holder);
  await loaded;
  return { frame, url: new URL(frame.src).search, remove: () => holder.remove() };
}

/** The next height the frame's page posts to this one. */
const nextHeight = (frame: HTMLIFrameElement) =>
  new Promise<number>((resolve) => {
    const listener = ({ source, data }: MessageEvent) => {
      if (source !== frame.contentWindow || data?.type !== HEIGHT_MESSAGE) return;
      removeEventListener('message', listener);
      resolve(data.height);
    };
    addEventListener('message', listener);
  });

describe('the iframe embed on a partner page', () => {
  before(async () => {
    const registered = await adminFetch(`/partners/${PARTNER}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Iframe embed test', origins: [location.origin] }),
    });
    expect(registered.ok).to.equal(true);
  });

  it("keeps the snippet's height where the page runs no script, and that height holds each variant at 320 px", async () => {
    // The languages whose texts run longest.
    for (const lang of ['bg', 'de']) {
      for (const variant of EMBED_VARIANTS) {
        const { frame, url, remove } = await paste({ variant, lang }, 320);
        const posted = nextHeight(frame);
        const height = await contentHeight(url);
        await posted;
        expect(frame.style.blockSize, variant).to.equal(`${EMBED_HEIGHTS[variant]}px`);
        expect(height, `${variant} in ${lang}: its content fits the default height`).to.be.at.most(EMBED_HEIGHTS[variant]);
        remove();
      }
    }
  });

  describe('with the resizer on the page', () => {
    before(async () => {
      const script = document.createElement('script');
      script.src = `${API}/widget/embed-resizer.js`;
      const loaded = new Promise((resolve, reject) => Object.assign(script, { onload: resolve, onerror: reject }));
      document.head.append(script);
      await loaded;
    });

    it('takes the height of its content, and follows it as it changes', async () => {
      const { frame, url, remove } = await paste({ variant: 'compact' }, 480);
      const height = await contentHeight(url);
      await waitFor(() => frame.style.blockSize === `${height}px`, `the frame did not take its content's height, ${height}px`);
      // The visitor opens the form: the frame grows with it.
      const opened = await inFrame(url, async () => {
        const element = document.querySelector('cohesion-declaration')!;
        element.shadowRoot!.querySelector<HTMLElement>('[part=open-button]')!.click();
        await (element as unknown as { updateComplete: Promise<unknown> }).updateComplete;
        return Math.ceil(document.documentElement.getBoundingClientRect().height);
      });
      expect(opened).to.be.above(height);
      await waitFor(() => frame.style.blockSize === `${opened}px`, `the frame did not grow to ${opened}px`);
      remove();
    });

    it('takes a height only from an embed frame, at its own origin, within bounds', async () => {
      // An iframe with an embed address on this page's own origin (nothing is there), so that the
      // messages below can name it as their source in every engine: Firefox refuses a
      // cross-origin window in a MessageEvent made by a script.
      const frame = document.createElement('iframe');
      const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
      frame.src = `${location.origin}/embed/${CAMPAIGN}`;
      document.body.append(frame);
      await loaded;
      const post = (data: unknown, origin: string, source: MessageEventSource | null) =>
        dispatchEvent(new MessageEvent('message', { data, origin, source }));
      const height = (value: unknown) => ({ type: HEIGHT_MESSAGE, height: value });
      try {
        post(height(321), 'https://elsewhere.example', frame.contentWindow);
        post(height(322), location.origin, window);
        post({ type: 'something-else', height: 324 }, location.origin, frame.contentWindow);
        for (const bad of [0, -5, 20_000, '500', Number.NaN]) post(height(bad), location.origin, frame.contentWindow);
        expect(frame.style.blockSize).to.equal('');
        // The one that counts, through the same door.
        post(height(323), location.origin, frame.contentWindow);
        expect(frame.style.blockSize).to.equal('323px');
      } finally {
        frame.remove();
      }
    });

    it('signs for the partner whose page frames it', async () => {
      const partnerCount = async () =>
        (await (await fetch(`${API}/api/campaigns/${CAMPAIGN}/count?partner=${PARTNER}`, { cache: 'no-store' })).json())
          .partnerCount as number;
      const before = await partnerCount();
      const { url, remove } = await paste({ partner: PARTNER }, 600, API);
      await contentHeight(url);
      const thanked = await inFrame(
        url,
        async (email: string) => {
          const element = document.querySelector('cohesion-declaration')!;
          const root = element.shadowRoot!;
          const set = (name: string, value: string | boolean) => {
            const control = root.querySelector<HTMLInputElement>(`[name=${name}]`)!;
            if (typeof value === 'boolean') control.checked = value;
            else control.value = value;
            control.dispatchEvent(
              new Event(control.tagName === 'INPUT' && typeof value === 'string' ? 'input' : 'change', { bubbles: true, composed: true }),
            );
          };
          set('name', 'Ana Popescu');
          set('country', 'RO');
          set('email', email);
          set('consent', true);
          await (element as unknown as { updateComplete: Promise<unknown> }).updateComplete;
          root.querySelector<HTMLButtonElement>('[part=submit-button]')!.click();
          for (;;) {
            await new Promise(requestAnimationFrame);
            if (root.querySelector('[part=thanks]')) return true;
            if (root.querySelector('[part=error-summary], [role=alert]:not(:empty)')) return root.querySelector('[part=form]')?.textContent;
          }
        },
        uniqueEmail(),
      );
      expect(thanked).to.equal(true);
      expect(await partnerCount()).to.equal(before + 1);
      remove();
    });
  });
});
