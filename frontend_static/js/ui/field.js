// Form fields: a label, the control, an optional hint and an error slot, wired for screen
// readers (the same markup as dom.js field(), so dom.js showUserErrors places errors in it).

import { cloneElement } from 'preact';
import { html, useState } from './html.js';

let uid = 0;

/** <${Field} label="Title" name="title" hint="…"><input type="text" /><//> */
export function Field({ label, name, hint, children }) {
  const [id] = useState(() => {
    uid += 1;
    return `fld-${uid}`;
  });
  const control = [children].flat()[0];
  const describedBy = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
  return html`<div class="field">
    <label for=${id}>${label}</label>
    ${cloneElement(control, { id, name, 'aria-describedby': describedBy })}
    ${hint ? html`<p class="hint" id=${`${id}-hint`}>${hint}</p>` : null}
    <p class="field-error" id=${`${id}-error`} role="alert" hidden></p>
  </div>`;
}

/** A <select> of options [{value, label}] with one selected. */
export function Select({ options, value, ...attrs }) {
  return html`<select ...${attrs} value=${value}>
    ${options.map((o) => html`<option key=${o.value} value=${o.value}>${o.label}</option>`)}
  </select>`;
}

/** A form's message box: errors are announced assertively, successes politely. */
export function MessageBox({ kind = 'error', name }) {
  return html`<div class=${`message message-${kind}`} role=${kind === 'error' ? 'alert' : 'status'} data-box=${name} hidden></div>`;
}
