/**
 * The focus ring stands out from whatever is around it (WCAG 1.4.11, 3:1): the widget's own
 * background in either scheme, and any host page's, since the ring is drawn outside the control
 * and a transparent widget shows the host page. One tone cannot do that for every background, so
 * the ring has two, and one of them must reach 3:1 against each background.
 */
import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import '../../widget/cohesion-declaration.js';
import type { CohesionDeclaration } from '../../widget/cohesion-declaration.js';
import { API, focused, loaded, query, tabTo } from './support/helpers.js';

/** The channels of a computed `rgb(…)`/`rgba(…)` colour; the first one in `text`. */
function channels(text: string): [number, number, number] {
  const match = text.match(/rgba?\((\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?)/);
  expect(match, `a colour in "${text}"`).to.exist;
  return [Number(match![1]), Number(match![2]), Number(match![3])];
}

/** WCAG 2 relative luminance and contrast ratio. */
const luminance = ([r, g, b]: [number, number, number]) => {
  const linear = (c: number) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
};
const contrast = (a: string, b: string) => {
  const [light, dark] = [luminance(channels(a)), luminance(channels(b))].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
};

/** Host page backgrounds a partner might have: white, black, a mid grey, the Alliance's blue, a yellow. */
const HOST_BACKGROUNDS = ['rgb(255, 255, 255)', 'rgb(0, 0, 0)', 'rgb(118, 118, 118)', 'rgb(0, 51, 153)', 'rgb(255, 204, 0)'];

async function ringOf(scheme: 'light' | 'dark', style = '') {
  const element = await fixture<CohesionDeclaration>(
    html`<cohesion-declaration api=${API} color-scheme=${scheme} style=${style}></cohesion-declaration>`,
  );
  await loaded(element);
  await tabTo(element, '[name=email]');
  const ring = getComputedStyle(focused(element)!);
  return {
    outer: ring.outlineColor,
    inner: ring.boxShadow,
    outlineStyle: ring.outlineStyle,
    widgetBackground: getComputedStyle(query(element, '.root')).backgroundColor,
  };
}

describe('the focus ring', () => {
  afterEach(() => fixtureCleanup());

  for (const scheme of ['light', 'dark'] as const) {
    it(`has two tones, one of them 3:1 from the widget's ${scheme} background and from any host page's`, async () => {
      const { outer, inner, outlineStyle, widgetBackground } = await ringOf(scheme);
      expect(outlineStyle).to.equal('solid');
      expect(contrast(outer, inner), 'the two tones apart').to.be.at.least(3);
      for (const background of [widgetBackground, ...HOST_BACKGROUNDS]) {
        const best = Math.max(contrast(outer, background), contrast(inner, background));
        expect(best, `against ${background}`).to.be.at.least(3);
      }
    });
  }

  it('takes both tones from custom properties', async () => {
    const { outer, inner } = await ringOf(
      'light',
      '--cohesion-focus-ring: 2px solid rgb(10, 20, 30); --cohesion-focus-ring-inner: rgb(250, 240, 230)',
    );
    expect(channels(outer)).to.deep.equal([10, 20, 30]);
    expect(channels(inner)).to.deep.equal([250, 240, 230]);
  });
});
