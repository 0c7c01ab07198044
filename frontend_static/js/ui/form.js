// Forms: their values, their state (errors, success, sending) and the form itself, which shows
// GraphQL userErrors next to their fields (ui/field.js Field) and the others in its summary.

import {
  createContext, html, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState,
} from './html.js';
import { FieldErrors } from './field.js';
import { dateProblem } from '../pages/common.js';
import { Message } from './message.js';

const Busy = createContext(false);

/** A form's values by name: { values, bind(name), set(name, value), setAll(values) }. */
export function useValues(initial) {
  const [values, setAll] = useState(initial);
  const set = useCallback((name, value) => setAll((v) => ({ ...v, [name]: value })), []);
  const bind = (name) => ({ value: values[name] ?? '', onInput: (event) => set(name, event.currentTarget.value) });
  return { values, set, setAll, bind };
}

function asErrors(errors) {
  return [errors].flat().filter(Boolean).map((e) => (typeof e === 'string' ? { field: null, message: e } : e));
}

/**
 * The state of a form: { errors, done, busy } and
 *   run(work): sends; the submit button is busy meanwhile. work() resolves to userErrors (shown)
 *     or to nothing; a failure is shown in the summary (a lost session is not: the portal goes
 *     to sign-in). A second run while one is on its way does nothing.
 *   fail(errors): show errors ({field, message} or strings); the first invalid field gets focus.
 *   succeed(text): show a success message.  clear(): neither.
 * clearDoneOn: a value whose change takes the success message away (see below).
 */
export function useForm({ clearDoneOn } = {}) {
  const [state, setState] = useState({ errors: [], done: null, busy: false, failures: 0 });
  const sending = useRef(false);
  // A success message is of the record as it was: when the page shows it changed (a live
  // change by the other side bumps clearDoneOn), the message goes.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    setState((s) => (s.done ? { ...s, done: null } : s));
  }, [clearDoneOn]);
  const actions = useMemo(() => {
    const fail = (errors) => setState((s) => ({ ...s, errors: asErrors(errors), done: null, failures: s.failures + 1 }));
    return {
      fail,
      succeed: (done) => setState((s) => ({ ...s, errors: [], done })),
      clear: () => setState((s) => ({ ...s, errors: [], done: null })),
      async run(work) {
        if (sending.current) return undefined;
        sending.current = true;
        setState((s) => ({ ...s, errors: [], done: null, busy: true }));
        try {
          const errors = await work();
          if (errors?.length) fail(errors);
          return errors;
        } catch (error) {
          if (error.code !== 'UNAUTHENTICATED') fail(error.message);
          return undefined;
        } finally {
          sending.current = false;
          setState((s) => ({ ...s, busy: false }));
        }
      },
    };
  }, []);
  return { ...state, ...actions };
}

/**
 * A form with a heading (it names the form), its error summary and, with `withDone`, its
 * success message, then the children. Errors whose field names a control of the form show under
 * that control; the rest in the summary. onSubmit() runs on submit (the page does not reload),
 * unless a date control holds a date that does not exist or lies outside its min/max.
 * formRef, when given, receives the <form> element.
 */
export function Form({
  form, heading, headingId, level = 4, id, className = 'form card', withDone = false,
  onSubmit, onKeyDown, formRef, children,
}) {
  const own = useRef(null);
  const ref = formRef ?? own;
  // Which errors have a field to show them: the controls on screen decide, as they are named.
  const placed = (e) => Boolean(e.field) && ref.current?.elements.namedItem(e.field) instanceof HTMLElement;
  const byField = new Map(form.errors.filter(placed).map((e) => [e.field, e.message]));
  const summary = form.errors.filter((e) => !placed(e)).map((e) => e.message);
  useLayoutEffect(() => {
    if (form.failures) ref.current.querySelector('[aria-invalid="true"]')?.focus();
  }, [form.failures]);
  const submit = (event) => {
    event.preventDefault();
    // A date typed that does not exist leaves its control empty: refuse it here, where the
    // control still knows, rather than send "no date".
    const dates = [...ref.current.querySelectorAll('input[type="date"]')];
    const wrong = dates.map((input) => ({ field: input.name, message: dateProblem(input) })).filter((p) => p.message);
    if (wrong.length) {
      form.fail(wrong);
      return;
    }
    onSubmit();
  };
  return html`<form ref=${ref} id=${id} class=${className} novalidate aria-labelledby=${headingId}
    onSubmit=${submit} onKeyDown=${onKeyDown}>
    <${FieldErrors.Provider} value=${byField}>
      <${Busy.Provider} value=${form.busy}>
        <${`h${level}`} id=${headingId}>${heading}<//>
        <${Message} kind="error" messages=${summary} />
        ${withDone ? html`<${Message} kind="success" messages=${form.done} />` : null}
        ${children}
      <//>
    <//>
  </form>`;
}

/** The submit button of a Form: disabled, marked busy and relabelled while the form sends. */
export function SubmitButton({ className = 'button button-primary', busyLabel = 'Saving…', children }) {
  const busy = useContext(Busy);
  return html`<${Button} type="submit" className=${className} busy=${busy} busyLabel=${busyLabel}>${children}<//>`;
}

/** A button that shows it is at work: disabled, aria-busy and `busyLabel` while `busy`. */
export function Button({
  type = 'button', className = 'button', busy = false, busyLabel = 'Saving…', children, ...attrs
}) {
  return html`<button ...${attrs} type=${type} class=${className} disabled=${busy || attrs.disabled}
    aria-busy=${busy ? 'true' : undefined}>${busy ? busyLabel : children}</button>`;
}
