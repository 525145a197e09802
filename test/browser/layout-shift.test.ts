/**
 * The host page must not jump while the widget arrives. Each case is a partner page in a frame
 * of its own (a fresh document, so the element is not yet defined): the element above a
 * paragraph, with the CSS the README tells partners to paste. The page paints, then the script
 * tag is added, then the campaign answer comes from the real API server; the campaign request
 * is held until the element has painted without it, as on a slow network. The score is the
 * page's Cumulative Layout Shift from the browser's own `layout-shift` entries.
 */
import { expect } from '@open-wc/testing';
import { allLocales } from '../../widget/localization.js';
import { API, waitFor } from './support/helpers.js';

/** The CSS a partner pastes to reserve the widget's place before the script loads, from the README. */
async function readmeReservation() {
  const readme = await (await fetch('/README.md')).text();
  const block = readme.match(/```css\n([^`]*?:not\(:defined\)[^`]*?)```/);
  if (!block) throw new Error("the README shows no CSS that reserves the widget's place");
  return block[1]!;
}

const nextFrame = (win: Window) => new Promise((resolve) => win.requestAnimationFrame(() => resolve(undefined)));
const frames = async (win: Window, count = 3) => {
  for (let i = 0; i < count; i++) await nextFrame(win);
};

interface Shift {
  /** The page's Cumulative Layout Shift over the whole load. */
  score: number;
  /** Where the paragraph below the widget was: before the script, once defined, once loaded (px; for the report). */
  tops: number[];
}

/**
 * Loads `srcdoc` in a frame of `width` × `height` px and runs `visit` on it with `score`, which
 * gives its Cumulative Layout Shift from the browser's own `layout-shift` entries, from the page's
 * start (buffered) to a few frames after it is called. The frame goes afterwards.
 */
async function inFrame<T>(
  srcdoc: string,
  [width, height]: [number, number],
  visit: (win: Window & typeof globalThis, doc: Document, score: () => Promise<number>) => Promise<T>,
): Promise<T> {
  const frame = document.createElement('iframe');
  frame.style.cssText = `inline-size: ${width}px; block-size: ${height}px; border: 0; display: block`;
  frame.srcdoc = srcdoc;
  const ready = new Promise((resolve) => (frame.onload = resolve));
  document.body.append(frame);
  try {
    await ready;
    const win = frame.contentWindow as Window & typeof globalThis;
    const entries: Array<PerformanceEntry & { value: number; hadRecentInput: boolean }> = [];
    const observer = new win.PerformanceObserver((list) => entries.push(...(list.getEntries() as typeof entries)));
    observer.observe({ type: 'layout-shift', buffered: true });
    const score = async () => {
      await frames(win, 5);
      // What the last frames recorded and the observer has not delivered yet.
      entries.push(...(observer.takeRecords() as typeof entries));
      return entries.filter((entry) => !entry.hadRecentInput).reduce((sum, entry) => sum + entry.value, 0);
    };
    return await visit(win, frame.contentDocument!, score);
  } finally {
    frame.remove();
  }
}

async function loadInFrame(variant: string, width: number, lang = 'en'): Promise<Shift> {
  const page = `<!doctype html><html lang="${lang}"><head><style>
      body { margin: 0; font: 16px/1.5 serif; }
      ${await readmeReservation()}
    </style></head><body>
      <cohesion-declaration api="${API}" variant="${variant}" partner="layout-shift"></cohesion-declaration>
      <p id="below">The partner's own text, right below the widget: it must stay where it was first painted.</p>
    </body></html>`;
  return inFrame(page, [width, 640], async (win, doc, score) => {
    const below = doc.getElementById('below')!;
    await frames(win);
    const firstTop = below.getBoundingClientRect().top;

    // The campaign answer waits until the element has painted without it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const realFetch = win.fetch.bind(win);
    win.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      if (/\/api\/campaigns\/[^/?]+\?/.test(String(input))) await held;
      return realFetch(input, init);
    };

    // The embed snippet's script tag, added after the page has painted.
    const script = doc.createElement('script');
    script.type = 'module';
    script.src = new URL('/widget/cohesion-declaration.ts', location.href).href;
    doc.head.append(script);
    await win.customElements.whenDefined('cohesion-declaration');
    const element = doc.querySelector('cohesion-declaration')!;
    await (element as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    await frames(win);
    const skeletonTop = below.getBoundingClientRect().top;

    release();
    const root = element.shadowRoot!;
    await waitFor(() => /\d/.test(root.querySelector('[part=counter] .count')?.textContent ?? ''), 'the count did not load');
    await waitFor(() => root.querySelector('h2')?.textContent?.trim(), 'the title did not load');
    return { score: await score(), tops: [firstTop, skeletonTop, below.getBoundingClientRect().top].map(Math.round) };
  });
}

describe('layout shift while the widget loads', () => {
  before(async () => {
    // A supporter through this partner, so the partner's line shows up with the live count.
    const response = await fetch(`${API}/api/campaigns/cohesion-alliance/signatures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        signerType: 'individual',
        name: 'Layout Tester',
        country: 'FR',
        email: `layout.${Date.now().toString(36)}@example.org`,
        consent: true,
        partner: 'layout-shift',
      }),
    });
    expect(response.status).to.equal(201);
  });

  for (const variant of ['full', 'compact', 'counter']) {
    for (const width of [320, 720]) {
      it(`keeps the page still: variant="${variant}" in a ${width} px column`, async () => {
        const { score, tops } = await loadInFrame(variant, width);
        console.log(`layout shift ${variant} ${width}px: CLS ${score.toFixed(4)}; paragraph below at ${tops.join(' → ')} px`);
        expect(score, 'Cumulative Layout Shift').to.be.below(0.01);
      });
    }
  }

  // In another language the element upgrades once its language has come, not in English first.
  for (const lang of allLocales) {
    it(`keeps the page still in ${lang}: variant="full" in a 720 px column`, async () => {
      const { score } = await loadInFrame('full', 720, lang);
      expect(score, 'Cumulative Layout Shift').to.be.below(0.01);
    });
  }

  // The longest title (Bulgarian, 69 characters) in the narrowest column: it is set smaller to
  // fit its place, so only the form's longer labels move a little.
  for (const variant of ['full', 'compact']) {
    it(`keeps the page nearly still with the longest title: variant="${variant}" in Bulgarian in a 320 px column`, async () => {
      const { score, tops } = await loadInFrame(variant, 320, 'bg');
      console.log(`layout shift ${variant} 320px bg: CLS ${score.toFixed(4)}; paragraph below at ${tops.join(' → ')} px`);
      expect(score, 'Cumulative Layout Shift').to.be.below(0.02);
    });
  }
});

describe('layout shift of the demo page', () => {
  for (const width of [375, 1280]) {
    it(`keeps the demo page still while its widgets load, ${width} px wide: it reserves their place as the snippet does`, async () => {
      // The demo page as the server serves it (our own pages may not be framed by another origin): its
      // markup and styles (from here: the server gives its stylesheets to its own pages only), and
      // the widget from the API server.
      const page = (await (await fetch('/demo/index.html')).text())
        .replace('<head>', `<head><base href="${API}/">`)
        .replace('href="/demo/region.css"', `href="${location.origin}/demo/region.css"`);
      expect(page).to.contain(`${location.origin}/demo/region.css`);
      const score = await inFrame(page, [width, 900], async (_win, doc, score) => {
        const elements = [...doc.querySelectorAll('cohesion-declaration')];
        expect(elements).to.have.length(2);
        await waitFor(
          () => elements.every((element) => element.shadowRoot?.querySelector('[part=counter] .goal')?.textContent?.trim()),
          'the widgets did not load',
        );
        return score();
      });
      console.log(`layout shift demo page ${width}px: CLS ${score.toFixed(4)}`);
      expect(score, 'Cumulative Layout Shift').to.be.below(0.01);
    });
  }
});
