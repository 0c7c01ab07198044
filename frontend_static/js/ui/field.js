// Form fields: a label, the control, an optional hint and an error slot, wired for screen
// readers (the same markup as dom.js field()). Inside a ui/form.js Form, a field shows the
// error the form has for its name, and marks its control aria-invalid.

import { cloneElement } from 'preact';
import {
  createContext, html, useContext, useState,
} from './html.js';

/** The errors of the enclosing form by field name (a Map), provided by ui/form.js. */
export const FieldErrors = createContext(null);

let uid = 0;

function useFieldId() {
  const [id] = useState(() => {
    uid += 1;
    return `fld-${uid}`;
  });
  return id;
}

/** The error the enclosing form has for a field name (or null). */
export function useFieldError(name) {
  const errors = useContext(FieldErrors);
  return (name && errors?.get(name)) || null;
}

/** <${Field} label="Title" name="title" hint="…"><input type="text" /><//> */
export function Field({ label, name, hint, children }) {
  const id = useFieldId();
  const error = useFieldError(name);
  const control = [children].flat()[0];
  const describedBy = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
  const wiring = { id, 'aria-describedby': describedBy, 'aria-invalid': error ? 'true' : undefined };
  // A field without a name leaves the control's own (a filter's, say).
  if (name) wiring.name = name;
  return html`<div class="field">
    <label for=${id}>${label}</label>
    ${cloneElement(control, wiring)}
    ${hint ? html`<p class="hint" id=${`${id}-hint`}>${hint}</p>` : null}
    <p class="field-error" id=${`${id}-error`} role="alert" hidden=${!error}>${error ?? ''}</p>
  </div>`;
}

/** A <select> of options [{value, label}] with one selected. */
export function Select({ options, value, ...attrs }) {
  return html`<select ...${attrs} value=${value}>
    ${options.map((o) => html`<option key=${o.value} value=${o.value}>${o.label}</option>`)}
  </select>`;
}

/**
 * A group of controls under one legend, named as one field (a <fieldset name> is one of its
 * form's elements), so that the form's error for that name shows at the end of the group:
 * <${FieldSet} legend="Working days" name="calendars[0].workingDays">…checkboxes…<//>.
 * The controls mark themselves invalid with useFieldError(name).
 */
export function FieldSet({ legend, name, hint, className = '', children }) {
  const id = useFieldId();
  const error = useFieldError(name);
  const describedBy = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
  return html`<fieldset name=${name} class=${`field-group ${className}`.trim()} aria-describedby=${describedBy}>
    <legend>${legend}</legend>
    ${hint ? html`<p class="hint" id=${`${id}-hint`}>${hint}</p>` : null}
    ${children}
    <p class="field-error" id=${`${id}-error`} role="alert" hidden=${!error}>${error ?? ''}</p>
  </fieldset>`;
}
