/**
 * Pieces every part of the organiser dashboard uses the same way: the status line (a live
 * region that exists before anything is said in it, so the first message is announced too), the
 * in-page confirmation step for what cannot be undone (never `window.confirm`, which cannot be
 * styled, themed or kept in the page's language), a field's error text, and the words for the
 * admin API's failures.
 */
import { html, nothing } from 'lit';
import { AdminApiError } from './dashboard-api.js';

/** Fired (bubbling, composed) when signatures or partners changed, so the numbers shown are stale. */
export const CHANGED_EVENT = 'cohesion-dashboard-changed';
export const announceChange = (from: HTMLElement) => from.dispatchEvent(new Event(CHANGED_EVENT, { bubbles: true, composed: true }));

export type Status = { kind: 'idle' } | { kind: 'busy' | 'done' | 'failed'; text: string };
export const IDLE: Status = { kind: 'idle' };

/** A `role=status` line, always in the page; empty while there is nothing to say. */
export const renderStatus = (status: Status) =>
  html`<p class="status ${status.kind}" role="status">${status.kind === 'idle' ? '' : status.text}</p>`;

/**
 * The confirmation step: the question (focused when it appears, so it is read out first) and two
 * buttons. Escape cancels.
 */
export function renderConfirm(options: {
  id: string;
  question: string;
  confirm: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { id, question, confirm, busy, onConfirm, onCancel } = options;
  return html`<div
    class="confirm"
    role="group"
    aria-labelledby=${id}
    @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && !busy && onCancel()}
  >
    <p id=${id} tabindex="-1">${question}</p>
    <div class="actions">
      <button type="button" class="danger" aria-busy=${busy ? 'true' : 'false'} ?disabled=${busy} @click=${onConfirm}>${confirm}</button>
      <button type="button" class="secondary" ?disabled=${busy} @click=${onCancel}>Cancel</button>
    </div>
  </div>`;
}

/**
 * A field's error, referenced by the field's aria-describedby. The dashboard's errors appear only
 * on a submit, often with Enter in the very field that is wrong, whose focus then does not move:
 * an alert, so it is read out all the same.
 */
export const renderFieldError = (id: string, message: string | undefined) =>
  message ? html`<p class="error" id=${id} role="alert">${message}</p>` : nothing;

/** The ids a field's aria-describedby lists: its help, and its error when there is one. */
export const describedBy = (help: string | undefined, errorId: string, error: string | undefined) =>
  [help, error ? errorId : undefined].filter(Boolean).join(' ') || nothing;

const FIELD_CODES: Record<string, string> = {
  required: 'Required.',
  too_long: 'Too long.',
  too_many: 'Too many.',
  invalid_email: 'Not an email address, e.g. name@example.org.',
  invalid: 'Not valid.',
};

/** Words for a field code from a 400, with what is specific to the field where it helps. */
export function fieldMessage(field: string, code: string): string {
  if (field === 'id' && code === 'invalid') return 'Letters, digits, - and _ only, up to 64.';
  if (field === 'name' && code === 'invalid') return 'A name of 1 to 200 characters.';
  if (field === 'origins' && code === 'invalid')
    return 'One origin per line, such as https://plovdiv.bg: scheme and host, and a port if any; no path.';
  if (field === 'origins' && (code === 'too_many' || code === 'too_long')) return 'At most 20 origins.';
  if (field === 'url' && code === 'invalid') return 'A web address starting with https:// or http://.';
  if (field === 'logo' && code === 'invalid') return 'An image address starting with https://.';
  if (field === 'position' && code === 'invalid') return 'A whole number, 0 or more.';
  if (field === 'count' && code === 'invalid') return 'A whole number from 1 to 10,000,000.';
  if (field === 'note' && code === 'invalid') return 'Say where they come from, in 1 to 200 characters.';
  if (field === 'date' && code === 'invalid') return 'A day that is not in the future.';
  if (field === 'partner' && code === 'invalid') return 'Choose a registered partner, or none.';
  return FIELD_CODES[code] ?? `Not accepted (${code}).`;
}

/** API field keys such as `origins.2` or `origins[2]` belong to the form field `origins`. */
export function fieldErrors(fields: Readonly<Record<string, string>>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [key, code] of Object.entries(fields)) {
    const field = key.split(/[.[]/)[0]!;
    errors[field] ??= fieldMessage(field, code);
  }
  return errors;
}

/**
 * A form the server refused: its objections by field, the first of `fields` it objects to (to
 * focus), and the status line, which speaks only when no field of the form is at fault.
 */
export function formFailure(error: unknown, fields: readonly string[]): { errors: Record<string, string>; first?: string; status: Status } {
  const errors = error instanceof AdminApiError ? fieldErrors(error.fields) : {};
  const first = fields.find((field) => errors[field]);
  return { errors, first, status: first ? IDLE : { kind: 'failed', text: describeFailure(error) } };
}

/**
 * The status line after a removal the organiser confirmed: `done` once it is made, `gone` when
 * the server had nothing to remove any more (404: someone else removed it), else the failure.
 */
export async function removalOutcome(removal: Promise<unknown>, done: string, gone: string): Promise<Status> {
  try {
    await removal;
    return { kind: 'done', text: done };
  } catch (error) {
    return error instanceof AdminApiError && error.status === 404
      ? { kind: 'done', text: gone }
      : { kind: 'failed', text: describeFailure(error) };
  }
}

/** A sentence for a failed call, for the status line. */
export function describeFailure(error: unknown): string {
  if (!(error instanceof AdminApiError)) return 'Something went wrong in this page. Reload it and try again.';
  if (error.status === 0) return 'The server could not be reached. Check the connection and try again.';
  if (error.status === 401) return 'The server no longer accepts the admin token. Sign in again.';
  if (error.code === 'unknown_campaign') return 'The server has no such campaign.';
  if (error.status >= 500) return 'Something went wrong on the server. Try again in a moment.';
  return error.message && error.message !== error.code ? error.message : `The server refused this (${error.code}).`;
}
