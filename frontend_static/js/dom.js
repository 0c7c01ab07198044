// Small DOM helpers. Text always goes in through textContent/append, never innerHTML.

import { element, html, unmount } from './ui/html.js';
import { Failed, Loading } from './ui/states.js';

const PROPERTIES = new Set(['value', 'checked', 'selected', 'disabled', 'hidden']);

/** Create an element: h('a', {href: '#/', class: 'x', onclick: fn}, 'text', child, [more]). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  const late = [];
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (PROPERTIES.has(key)) late.push([key, value]);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  // Properties such as a select's value only apply once the options exist.
  for (const [key, value] of late) el[key] = value;
  return el;
}

export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export function clear(el, ...children) {
  // A container a component view filled (ui/html.js show) is unmounted first.
  unmount(el);
  el.replaceChildren();
  return append(el, children);
}

let uid = 0;
/** A unique id for label/aria wiring. */
export function newId(prefix = 'id') {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** Text only screen readers read. */
export function srOnly(text) {
  return h('span', { class: 'sr-only' }, text);
}

/** A loading state announced politely. */
export function loading(text) {
  return element(html`<${Loading} text=${text} />`);
}

/** An empty state: a short title, an explanation and optional actions. */
export function emptyState(title, text, ...actions) {
  return h('div', { class: 'state state-empty' },
    h('p', { class: 'state-title' }, title),
    text ? h('p', {}, text) : null,
    actions.length ? h('p', { class: 'state-actions' }, actions) : null);
}

/** An error state with the server's message and a retry button. */
export function errorState(error, retry) {
  return element(html`<${Failed} error=${error} onRetry=${retry} />`);
}

/** A field: label, control, optional hint and an error slot, wired with aria-describedby. */
export function field({ label, control, hint, name }) {
  const id = control.id || newId('field');
  control.id = id;
  if (name) control.name = name;
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  const errorEl = h('p', { class: 'field-error', id: `${id}-error`, role: 'alert', hidden: true });
  const describedBy = [hintEl ? hintEl.id : null, errorEl.id].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', describedBy);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl, errorEl);
}

/** Clear every field error in a form. */
export function clearFieldErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) {
    el.hidden = true;
    el.textContent = '';
  }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

/**
 * Show mutation userErrors: each under its field when the form has a control of that name
 * (marked aria-invalid and announced), the rest in the form's alert box.
 */
export function showUserErrors(form, box, errors) {
  clearFieldErrors(form);
  const unplaced = [];
  for (const error of errors) {
    const control = error.field ? form.elements.namedItem(error.field) : null;
    const slot = control instanceof HTMLElement ? document.getElementById(`${control.id}-error`) : null;
    if (slot) {
      control.setAttribute('aria-invalid', 'true');
      slot.textContent = error.message;
      slot.hidden = false;
    } else {
      unplaced.push(error.message);
    }
  }
  showMessage(box, 'error', unplaced);
}

/** Fill a message box (role=alert for errors, role=status otherwise). */
export function showMessage(box, kind, messages) {
  const list = [messages].flat().filter(Boolean);
  box.className = `message message-${kind}`;
  box.hidden = list.length === 0;
  if (list.length === 1) clear(box, list[0]);
  else clear(box, h('ul', {}, list.map((m) => h('li', {}, m))));
}

export function hideMessage(box) {
  box.hidden = true;
  box.replaceChildren();
}

/** A message box: errors are announced assertively, successes politely. */
export function messageBox(kind = 'error') {
  return h('div', { class: `message message-${kind}`, role: kind === 'error' ? 'alert' : 'status', hidden: true });
}

/** Disable a submit button while `work` runs, with a busy label. */
export async function busy(button, label, work) {
  const original = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = label;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = original;
  }
}
