// The lifecycle steps a commitments page offers: which step forms are open (by commitment),
// which step is on its way, and sending one (shared by the list and the detail).

import { html, useRef, useState } from '../ui/html.js';
import { ACTIONS, sendStep } from './api.js';
import { ActionForm } from './forms.js';

/**
 * ctx; load() re-reads the page; setStatus / setAlert show the page's banners;
 * conflictMessage(c, current) says what to do after a conflict; focusAfter(c) moves focus once a
 * step is done. Returns { openForms (id → action), acting ({ id, action } or null), busy (a ref:
 * a step is on its way), onAction(c, action), formOf(c, keyOf), keepPossible(rows) }.
 */
export function useSteps({ ctx, load, setStatus, setAlert, conflictMessage, focusAfter, focusBack }) {
  const [openForms, setOpenForms] = useState(() => new Map());
  const [acting, setActing] = useState(null);
  const busy = useRef(false);

  const close = (id) => setOpenForms((forms) => {
    if (!forms.has(id)) return forms;
    const next = new Map(forms);
    next.delete(id);
    return next;
  });

  /** Forms whose commitment left the page, or whose step is no longer possible, close. */
  const keepPossible = (rows) => setOpenForms((forms) => {
    const next = new Map([...forms].filter(([id, action]) => rows.find((c) => c.id === id)?.viewerActions.includes(action)));
    return next.size === forms.size ? forms : next;
  });

  /** Send a step; from a form, a refusal goes back to the form (it stays as typed). */
  async function send(c, action, input = {}, { fromForm = false } = {}) {
    if (busy.current) return undefined;
    busy.current = true;
    setActing({ id: c.id, action });
    setStatus(null);
    setAlert(null);
    try {
      const result = await sendStep(c, action, input, { ctx });
      if (!result) return undefined;
      if (result.errors) {
        if (fromForm) return result.errors;
        setAlert(result.errors.map((e) => e.message));
        await load();
        return undefined;
      }
      if (result.ok) {
        close(c.id);
        await load();
        setStatus(`${ACTIONS[action].done} “${c.title}”.`);
        focusAfter(c);
        return undefined;
      }
      setAlert(conflictMessage(c, result.conflict));
      close(c.id);
      await load();
      return undefined;
    } finally {
      busy.current = false;
      setActing(null);
    }
  }

  /** A step's button was pressed: a step that needs input opens its form. */
  function onAction(c, action) {
    if (ACTIONS[action].form) setOpenForms((forms) => new Map(forms).set(c.id, action));
    else send(c, action);
  }

  /** The open form of a commitment, if any; cancelling it gives focus back to its button. */
  function formOf(c) {
    const action = openForms.get(c.id);
    if (!action) return null;
    return html`<${ActionForm} key=${action} c=${c} action=${action}
      onSubmit=${(input) => send(c, action, input, { fromForm: true })}
      onCancel=${() => {
        close(c.id);
        focusBack(c, action);
      }} />`;
  }

  return {
    openForms, acting, busy, onAction, formOf, keepPossible,
  };
}
