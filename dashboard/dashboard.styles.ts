/**
 * The organiser dashboard's look: the widget's own stylesheet (its `--cohesion-*` tokens, read
 * into `--_*` variables, its fields, buttons, focus ring and error styles), plus what only the
 * dashboard has: panels, tables, proportional bars and the chart. Every dashboard element uses
 * `dashboardStyles`, so the widget and the dashboard look and theme alike.
 */
import { css } from 'lit';
import widgetStyles from '../widget/cohesion-declaration/cohesion-declaration.styles.js';

const own = css`
  :host {
    /* The widget keeps to a column; the dashboard takes the page's width. */
    max-inline-size: none;
  }
  .root {
    padding: 0;
    background: none;
  }
  section,
  .panel {
    background: var(--_bg);
    border: 1px solid color-mix(in srgb, var(--_border) 45%, var(--_bg));
    border-radius: var(--_radius);
    padding: var(--_space);
    margin-block-end: var(--_space);
    min-inline-size: 0;
  }
  h2:focus,
  h3:focus,
  [tabindex='-1']:focus {
    outline: none;
  }
  h2:focus-visible,
  [tabindex='-1']:focus-visible {
    outline: var(--_focus);
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 24rem), 1fr));
    gap: var(--_space);
    align-items: start;
  }
  .grid > section {
    margin: 0;
  }
  /* The four breakdowns: one column, two, or all four in a row, never three and one alone. */
  .root {
    container-type: inline-size;
  }
  .grid.quad {
    grid-template-columns: minmax(0, 1fr);
  }
  @container (min-width: 36rem) {
    .grid.quad {
      grid-template-columns: repeat(2, minmax(0, 1fr));
    }
  }
  @container (min-width: 68rem) {
    .grid.quad {
      grid-template-columns: repeat(4, minmax(0, 1fr));
    }
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em 1em;
    align-items: center;
    margin-block-end: var(--_space);
  }
  .toolbar h2 {
    margin: 0;
    margin-inline-end: auto;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    align-items: center;
  }
  button.secondary {
    background: var(--_bg);
    color: var(--_accent);
  }
  button.danger {
    background: var(--_error);
    border-color: var(--_error);
    color: var(--_bg);
  }
  button.small {
    min-block-size: 2.25em;
    padding-inline: 0.75em;
    font-size: 0.9em;
  }
  textarea {
    font: inherit;
    color: inherit;
    background: var(--_bg);
    inline-size: 100%;
    padding: 0.4em 0.6em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    resize: vertical;
  }
  input[type='password'],
  input[type='email'] {
    font: inherit;
  }
  input[type='password'] {
    color: inherit;
    background: var(--_bg);
    inline-size: 100%;
    min-block-size: 2.75em;
    padding: 0.4em 0.6em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  input[readonly] {
    background: color-mix(in srgb, var(--_border) 12%, var(--_bg));
  }
  .totals {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
    margin: 0;
  }
  .totals div {
    flex: 1 1 9em;
    border-inline-start: 4px solid var(--_accent);
    padding-inline-start: 0.75em;
  }
  .totals div.pending {
    border-inline-start-color: var(--_muted);
  }
  .totals dt {
    color: var(--_muted);
  }
  .totals dd {
    margin: 0;
    font-size: 2em;
    font-weight: 700;
    line-height: 1.2;
  }
  .totals dd.goal {
    font-size: 1em;
    font-weight: 400;
    color: var(--_muted);
  }
  .totals progress {
    display: block;
    inline-size: 100%;
    accent-color: var(--_accent);
  }
  table {
    border-collapse: collapse;
    inline-size: 100%;
    font-size: 0.95em;
  }
  caption {
    text-align: start;
    font-weight: 600;
    padding-block-end: 0.4em;
  }
  th,
  td {
    text-align: start;
    padding: 0.35em 0.5em;
    border-block-end: 1px solid color-mix(in srgb, var(--_border) 40%, var(--_bg));
    vertical-align: top;
    overflow-wrap: break-word;
  }
  tbody th {
    font-weight: 600;
    inline-size: 100%;
  }
  th:first-child,
  td:first-child {
    padding-inline-start: 0;
  }
  thead th {
    color: var(--_muted);
    font-weight: 600;
    font-size: 0.9em;
  }
  .number {
    text-align: end;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .share-bar {
    display: block;
    inline-size: 100%;
    block-size: 0.75em;
    margin-block-start: 0.35em;
  }
  .share-bar rect {
    fill: var(--_accent);
  }
  .share-bar rect.track {
    fill: color-mix(in srgb, var(--_accent) 12%, var(--_bg));
  }
  .code {
    color: var(--_muted);
    font-size: 0.9em;
    font-weight: normal;
  }
  .note {
    display: block;
  }
  .status {
    min-block-size: 1.5em;
    margin-block: 0.5em 0;
  }
  .status.failed {
    color: var(--_error);
    font-weight: 600;
  }
  .status.done {
    color: var(--_success);
    font-weight: 600;
  }
  .confirm {
    border: 2px solid var(--_error);
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 0.75);
    display: grid;
    gap: 0.5em;
  }
  .confirm p {
    margin: 0;
    font-weight: 600;
  }
  .notice {
    border-inline-start: 4px solid var(--_accent);
    padding-inline-start: var(--_space);
  }
  .notice.problem {
    border: 2px solid var(--_error);
  }
  details {
    margin-block: 0.75em 0;
  }
  ul.plain {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .sign-in {
    max-inline-size: 36rem;
  }
  form h3 {
    margin-block-start: var(--_space);
  }
  .cards {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 18rem), 1fr));
    gap: calc(var(--_space) / 2);
  }
  .cards > li {
    border: 1px solid color-mix(in srgb, var(--_border) 45%, var(--_bg));
    border-radius: var(--_radius);
    padding: calc(var(--_space) / 2) calc(var(--_space) * 0.75);
    display: grid;
    gap: 0.35em;
    align-content: start;
    overflow-wrap: anywhere;
  }
  .cards .name {
    font-weight: 600;
  }
  @media (forced-colors: active) {
    .share-bar rect,
    .chart .bar {
      fill: CanvasText;
    }
    .share-bar rect.track {
      fill: Canvas;
    }
  }
`;

export const dashboardStyles = [widgetStyles, own];
