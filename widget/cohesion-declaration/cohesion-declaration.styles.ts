import { css } from 'lit';

/**
 * Public tokens (`--cohesion-*`) are read once on `:host` into private `--_*` variables, which
 * are all the rules below use. Logical properties keep the layout right in every script.
 */
export default css`
  :host {
    /* light-dark(): one set of defaults for both schemes, chosen by color-scheme below. */
    --_accent: var(--cohesion-color-accent, light-dark(#0b5cab, #8cc4ff));
    --_on-accent: var(--cohesion-color-on-accent, light-dark(#fff, #08203a));
    --_text: var(--cohesion-color-text, light-dark(#1d1d1f, #f2f2f4));
    --_muted: var(--cohesion-color-muted, light-dark(#55585e, #b8bcc4));
    --_bg: var(--cohesion-color-background, light-dark(#fff, #17191c));
    --_border: var(--cohesion-color-border, light-dark(#8a8f98, #80858f));
    --_error: var(--cohesion-color-error, light-dark(#b3261e, #ffb4ab));
    --_success: var(--cohesion-color-success, light-dark(#1b6e37, #7fdc9a));
    --_font: var(--cohesion-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_size: var(--cohesion-font-size, 1em);
    --_radius: var(--cohesion-radius, 6px);
    --_space: var(--cohesion-spacing, 1em);
    /* Two tones, near-black and yellow (as GOV.UK's): one of them stands out at least 3:1 from any
       background, the widget's or the host page's (WCAG 1.4.11). */
    --_focus: var(--cohesion-focus-ring, 3px solid #0b0c0c);
    --_focus-inner: var(--cohesion-focus-ring-inner, #ffdd00);

    all: initial;
    /* The host page's scheme unless an attribute says otherwise. */
    color-scheme: inherit;
    display: block;
    /* The visitor's own font-size setting (WCAG 1.4.4), which no size of the host page's changes:
       an !important of the shadow tree's wins over the page's own. */
    font-size: medium !important;
    max-inline-size: calc(42 * var(--_size));
  }
  /* Type and colour are set here, not on :host, so that a host page's rules on the element
     itself (even with !important) do not reach inside. */
  .root {
    box-sizing: border-box;
    color: var(--_text);
    background: var(--_bg);
    font: normal var(--_size) / 1.5 var(--_font);
    border-radius: var(--_radius);
    padding: var(--_space);
    text-align: start;
  }
  :host([hidden]) {
    display: none;
  }
  :host([color-scheme='light']) {
    color-scheme: light;
  }
  :host([color-scheme='dark']) {
    color-scheme: dark;
  }
  :host([color-scheme='auto']) {
    color-scheme: light dark;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  h2,
  h3 {
    margin-block: 0 calc(var(--_space) / 2);
    line-height: 1.25;
  }
  h2 {
    font-size: 1.4em;
  }
  h3 {
    font-size: 1.1em;
  }
  p {
    margin-block: 0 calc(var(--_space) / 2);
  }
  /* What the campaign fills in has its place from the first frame, so nothing moves when it
     arrives: a title of up to 2 lines (3, a little smaller, in a narrow column), 4 lines of introduction (the rest
     shows with the declaration), the counter's lines. Empty, they show skeleton lines. */
  [part='header'] {
    container-type: inline-size;
  }
  /* The title's place is fixed in the parent's units (2 lines of 1.4em, or 3 of 1.2em); --fit,
     set by the element, shrinks a title too long for it instead of letting it push the page. A
     title shorter than its place sits at its end, on what follows, the room left above it. */
  [part='header'] h2 {
    font-size: calc(var(--fit, 1) * 1.4em);
    min-block-size: calc(2.5em / var(--fit, 1));
    align-content: end;
  }
  @container (width < 36em) {
    [part='header'] h2 {
      font-size: calc(var(--fit, 1) * 1.2em);
      min-block-size: calc(3.75em / var(--fit, 1));
    }
  }
  .intro {
    min-block-size: 4lh;
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 4;
    overflow: hidden;
  }
  [part='header']:has([open]) .intro {
    display: block;
  }
  :is(h2, .line, .goal):empty {
    background: linear-gradient(color-mix(in srgb, currentColor 12%, #0000) 60%, #0000 0) 0 0.2lh / 70% 1lh repeat-y;
  }
  a {
    color: var(--_accent);
  }
  /* The outline, and an inner ring of the other tone filling the gap between it and the element.
     Forced colours drop the inner ring and draw the outline in a system colour. */
  :focus-visible {
    outline: var(--_focus);
    outline-offset: 3px;
    box-shadow: 0 0 0 3px var(--_focus-inner);
  }
  .languages {
    display: flex;
    justify-content: end;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
    font-size: 0.9em;
  }
  .languages select {
    inline-size: auto;
    min-block-size: 2.2em;
  }
  details {
    margin-block-end: var(--_space);
  }
  summary {
    cursor: pointer;
    color: var(--_accent);
    font-weight: 600;
  }
  .declaration {
    margin-block-start: calc(var(--_space) / 2);
  }
  .counter {
    margin-block-end: var(--_space);
  }
  .line {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0 0.3em;
    min-block-size: 2.5em;
    background-size: 40% 2.5em !important;
  }
  .counter .help {
    min-block-size: 1lh;
  }
  .count {
    font-size: 1.6em;
    font-weight: 700;
    line-height: 1.2;
    /* Digits of one width: the label beside the number stays put while it counts. */
    font-variant-numeric: tabular-nums;
  }
  .bar {
    block-size: 0.5em;
    background: color-mix(in srgb, var(--_accent) 15%, var(--_bg));
    border-radius: 1em;
    overflow: hidden;
    margin-block: 0.25em;
  }
  .bar > div {
    block-size: 100%;
    background: var(--_accent);
    transition: inline-size 0.6s ease-out;
  }
  form {
    display: grid;
    gap: calc(var(--_space) * 0.75);
  }
  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    min-inline-size: 0;
  }
  legend,
  label {
    font-weight: 600;
  }
  .field {
    display: grid;
    gap: 0.25em;
  }
  .choices {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25em 1em;
  }
  .check {
    display: flex;
    gap: 0.5em;
    align-items: start;
    font-weight: normal;
  }
  .check input {
    margin-block-start: 0.3em;
    inline-size: 1.1em;
    block-size: 1.1em;
    flex: none;
  }
  input:not([type]),
  input[type='text'],
  input[type='email'],
  select {
    font: inherit;
    color: inherit;
    background: var(--_bg);
    inline-size: 100%;
    min-block-size: 2.75em;
    padding-block: 0.4em;
    padding-inline: 0.6em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .help {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .problem {
    border: 2px solid var(--_error);
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 0.75);
  }
  button {
    font: inherit;
    font-weight: 600;
    cursor: pointer;
    min-block-size: 2.75em;
    padding-block: 0.5em;
    padding-inline: 1.25em;
    border-radius: var(--_radius);
    border: 2px solid var(--_accent);
    background: var(--_accent);
    color: var(--_on-accent);
    justify-self: start;
  }
  button:is(.link, .live) {
    background: none;
    border: 0;
    padding: 0;
    min-block-size: 1.5em;
    color: var(--_accent);
    font-weight: normal;
    font-size: 0.9em;
  }
  .link {
    text-decoration: underline;
    margin-inline-end: auto;
  }
  /* The switch that pauses live updates: a track whose knob sits at the end, in the accent, while
     the count is live, and at the start, muted, while it is paused. */
  button.live {
    display: flex;
    align-items: center;
    gap: 0.5em;
    color: var(--_muted);
  }
  .live::before {
    content: '';
    inline-size: 2em;
    block-size: 1.15em;
    border: 2px solid;
    border-radius: 1em;
    background: radial-gradient(circle closest-side, currentColor 70%, #0000 80%) 0 / 1em 100% no-repeat;
  }
  .live[aria-checked='true']::before {
    color: var(--_accent);
    background-position: 100%;
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (prefers-reduced-motion: reduce) {
    .bar > div {
      transition: none;
    }
  }
  /* Forced colours drop backgrounds: the bar's fill takes a system colour, its track an edge. */
  @media (forced-colors: active) {
    .bar {
      border: 1px solid CanvasText;
    }
    .bar > div {
      background: CanvasText;
    }
    button {
      border-color: ButtonText;
    }
    /* The knob is a gradient, which forced colours drop: kept, in the button's text colour. */
    .live::before {
      forced-color-adjust: none;
      color: ButtonText;
    }
  }
`;
