/**
 * The title keeps the size the theme gives it (1.4em of `--cohesion-font-size`, 1.2em in a narrow
 * column) wherever it fits its place, and is set smaller only where it would not: across font
 * sizes and column widths partners use. A title shorter than its place leaves no empty line under it.
 */
import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import '../../widget/cohesion-declaration.js';
import type { CohesionDeclaration } from '../../widget/cohesion-declaration.js';
import { API, loaded, query } from './support/helpers.js';

const FONT_SIZES = [12, 15, 16, 17, 20, 24];
const WIDTHS = [240, 320, 480, 720, 960];

describe('the title', () => {
  afterEach(() => fixtureCleanup());

  for (const size of FONT_SIZES) {
    it(`is set smaller only where it would not fit its place, at --cohesion-font-size ${size}px`, async () => {
      for (const width of WIDTHS) {
        const element = await fixture<CohesionDeclaration>(
          html`<cohesion-declaration api=${API} lang="en" style="--cohesion-font-size: ${size}px; inline-size: ${width}px"></cohesion-declaration>`,
        );
        await loaded(element);
        await element.updateComplete;
        const title = query(element, '[part=header] h2');
        const place = parseFloat(getComputedStyle(title).minBlockSize);
        const fit = Number(title.style.getPropertyValue('--fit') || 1);
        const at = `${size}px in ${width}px`;
        expect(title.getBoundingClientRect().height, `${at}: within its place`).to.be.at.most(place + 0.5);
        // The room a short title leaves in its place is above it: no empty line between it and what follows.
        const text = document.createRange();
        text.selectNodeContents(title);
        expect(title.getBoundingClientRect().bottom - text.getBoundingClientRect().bottom, `${at}: space under the title`).to.be.below(
          parseFloat(getComputedStyle(title).lineHeight) / 2,
        );
        if (fit < 1) {
          // One step larger, it would not fit: the size it has is the largest that does.
          title.style.setProperty('--fit', `${fit + 0.05}`);
          expect(title.getBoundingClientRect().height, `${at}: set to ${fit} for a reason`).to.be.above(place + 0.5);
        }
        fixtureCleanup();
      }
    });
  }
});
