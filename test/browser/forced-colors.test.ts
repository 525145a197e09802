/**
 * Forced colours (Windows high contrast): the browser paints with a few system colours and drops
 * backgrounds, so whatever carries meaning through colour or a background alone disappears. These
 * tests turn forced colours on in Chromium and check that the focus ring, the state of radios and
 * checkboxes, the buttons' edges, error text and the counter's progress bar are still drawn.
 */
import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../widget/cohesion-declaration.js';
import type { CohesionDeclaration } from '../../widget/cohesion-declaration.js';
import { API, focused, loaded, query, shadow, submitButton, tabTo, waitFor } from './support/helpers.js';

/** What a system colour keyword resolves to in this browser now, as computed `rgb(…)`. */
function systemColor(keyword: string) {
  const probe = document.createElement('span');
  probe.style.color = keyword;
  document.body.append(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color;
}

async function widget() {
  const element = await fixture<CohesionDeclaration>(
    html`<cohesion-declaration api=${API} partner="forced-colors"></cohesion-declaration>`,
  );
  await loaded(element);
  return element;
}

const style = (element: Element) => getComputedStyle(element);

describe('forced colours (Windows high contrast)', () => {
  before(async () => {
    await executeServerCommand('emulate-forced-colors', 'active');
    expect(matchMedia('(forced-colors: active)').matches, 'forced colours are on').to.be.true;
  });
  after(() => executeServerCommand('emulate-forced-colors', 'none'));
  afterEach(() => fixtureCleanup());

  it('draws the progress bar in a system colour that stands out from the page', async () => {
    const element = await widget();
    const canvas = style(query(element, '.root')).backgroundColor;
    const fill = query(element, '[part=counter] .bar > div');
    expect(style(fill).backgroundColor, 'the filled part').to.be.oneOf([systemColor('CanvasText'), systemColor('Highlight')]);
    expect(style(fill).backgroundColor).not.to.equal(canvas);
    // The track has an edge, so an empty or full bar still reads as a bar.
    const track = style(query(element, '[part=counter] .bar'));
    expect(track.borderTopStyle).to.equal('solid');
    expect(parseFloat(track.borderTopWidth)).to.be.at.least(1);
    expect(track.borderTopColor).to.equal(systemColor('CanvasText'));
  });

  it('keeps a visible focus ring', async () => {
    const element = await widget();
    await tabTo(element, '[name=email]');
    const ring = style(focused(element)!);
    expect(ring.outlineStyle).not.to.equal('none');
    expect(parseFloat(ring.outlineWidth)).to.be.at.least(2);
    expect(ring.outlineColor).not.to.equal(style(query(element, '.root')).backgroundColor);
  });

  it('leaves radios and checkboxes native, so their state is drawn in system colours', async () => {
    const element = await widget();
    for (const selector of ['[name=signerType]:checked', '[name=consent]']) {
      const control = style(query(element, selector));
      expect(control.appearance, selector).to.equal('auto');
      expect(control.forcedColorAdjust, selector).to.equal('auto');
      expect(control.visibility, selector).to.equal('visible');
    }
  });

  it('gives every button an edge in a system colour', async () => {
    const element = await widget();
    const canvas = style(query(element, '.root')).backgroundColor;
    const liveSwitch = query(element, '[part=counter] [role=switch]');
    for (const [button, edge] of [
      [submitButton(element), style(submitButton(element))],
      // The switch's edge is its track's, which also keeps its knob (the state) in the button's colour.
      [liveSwitch, getComputedStyle(liveSwitch, '::before')],
    ] as const) {
      const outlined = edge.borderTopStyle !== 'none' && parseFloat(edge.borderTopWidth) >= 1 && edge.borderTopColor !== canvas;
      // A link-styled button is drawn like a link: underlined text in a system colour.
      const linkLike = edge.textDecorationLine.includes('underline') && edge.color !== canvas;
      expect(outlined || linkLike, button.textContent!.trim()).to.be.true;
    }
    expect(getComputedStyle(liveSwitch, '::before').backgroundImage, 'the knob').to.include('gradient');
    const submit = style(submitButton(element));
    expect(submit.borderTopColor).to.equal(systemColor('ButtonText'));
  });

  it("keeps the edges of our own pages' buttons: confirm, withdraw, keep my signature", async () => {
    const frame = document.createElement('iframe');
    // The stylesheet itself, from the repository: the server gives it to its own pages only (Cross-Origin-Resource-Policy).
    frame.srcdoc = `<!doctype html><html><head><link rel="stylesheet" href="${location.origin}/server/content/pages/pages.css"></head><body>
      <a class="button" href="#">Keep my signature</a>
      <form action="/withdraw"><button type="submit">Withdraw my signature</button></form>
      <form action="/confirm"><button type="submit">Confirm my signature</button></form>
    </body></html>`;
    const ready = new Promise((resolve) => (frame.onload = resolve));
    document.body.append(frame);
    try {
      await ready;
      const doc = frame.contentDocument!;
      // Its buttons are bold: the stylesheet has applied.
      await waitFor(() => getComputedStyle(doc.querySelector('button')!).fontWeight === '600', 'pages.css did not apply');
      const canvas = getComputedStyle(doc.body).backgroundColor;
      for (const control of doc.querySelectorAll<HTMLElement>('a.button, button')) {
        const edge = getComputedStyle(control);
        expect(edge.borderTopStyle, control.textContent!).to.equal('solid');
        expect(parseFloat(edge.borderTopWidth), control.textContent!).to.be.at.least(1);
        expect(edge.borderTopColor, control.textContent!).not.to.equal(canvas);
      }
    } finally {
      frame.remove();
    }
  });

  it('shows errors in text with a visible edge, not in colour alone', async () => {
    const element = await widget();
    submitButton(element).click();
    await waitFor(() => shadow(element).querySelector('[part=error-summary]'), 'no error summary');
    const canvas = style(query(element, '.root')).backgroundColor;
    const summary = style(query(element, '[part=error-summary]'));
    expect(summary.borderTopStyle).to.equal('solid');
    expect(summary.borderTopColor).not.to.equal(canvas);
    const error = query(element, '#email-error');
    expect(error.textContent!.trim()).not.to.be.empty;
    expect(style(error).color).not.to.equal(canvas);
    const field = style(query(element, '#email'));
    expect(field.borderTopWidth, 'an invalid field has the thicker edge').to.equal('2px');
    expect(field.borderTopColor).not.to.equal(canvas);
  });
});
