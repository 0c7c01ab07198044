// A confirmation on the native <dialog>: modal, so focus stays inside it while it is open;
// Escape cancels; when it closes, focus returns to where it was when it opened.

import { Button } from './form.js';
import { html, useLayoutEffect, useRef } from './html.js';
import { useUid } from './hooks.js';

/**
 * open: whether it shows; onConfirm(), onCancel(); busy: the confirmation is on its way (the
 * confirm button says busyLabel, and the dialog stays until the page closes it).
 */
export function ConfirmDialog({
  open, title, text, confirmLabel, busyLabel = 'Saving…', cancelLabel = 'Cancel', danger = false,
  busy = false, onConfirm, onCancel,
}) {
  const ref = useRef(null);
  const opener = useRef(null);
  const id = useUid('dialog');
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
      dialog.querySelector('.button-row button')?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
      const back = opener.current;
      opener.current = null;
      if (back?.isConnected) back.focus();
    }
  }, [open]);
  const cancel = (event) => {
    // Escape: the page decides (it closes the dialog by its `open`), and not while sending.
    event.preventDefault();
    if (!busy) onCancel();
  };
  return html`<dialog ref=${ref} class="dialog" aria-labelledby=${`${id}-title`} aria-describedby=${`${id}-text`}
    onCancel=${cancel}>
    <h2 class="dialog-title" id=${`${id}-title`}>${title}</h2>
    <p id=${`${id}-text`}>${text}</p>
    <div class="button-row">
      <${Button} className=${danger ? 'button button-danger' : 'button button-primary'} busy=${busy}
        busyLabel=${busyLabel} onClick=${onConfirm}>${confirmLabel}<//>
      <button type="button" class="button" disabled=${busy} onClick=${onCancel}>${cancelLabel}</button>
    </div>
  </dialog>`;
}
