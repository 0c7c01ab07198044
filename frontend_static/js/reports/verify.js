// Check a report's PDF or JSON against the record: which report it is, or why not.

import { gql } from '../api.js';
import { Field } from '../ui/field.js';
import { Form, SubmitButton, useForm } from '../ui/form.js';
import { html, useRef, useState } from '../ui/html.js';
import { Moment } from '../ui/time.js';
import { VERIFY_REPORT } from './api.js';

const REFUSALS = {
  TAMPERED: 'Changed since it was generated',
  NOT_FOUND: 'Not a report of your partnerships',
  NOT_A_REPORT: 'Not a Mutual report',
};

/** The file's bytes as base64, in chunks (a PDF is too large for one String.fromCharCode). */
async function base64Of(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return window.btoa(binary);
}

export function VerifyForm() {
  const form = useForm();
  const input = useRef(null);
  const [outcome, setOutcome] = useState(null);

  function submit() {
    setOutcome(null);
    form.run(async () => {
      const file = input.current?.files?.[0];
      if (!file) return [{ field: 'file', message: 'Choose the report’s PDF or JSON file.' }];
      const data = await gql(VERIFY_REPORT, { input: { file: await base64Of(file) } });
      const payload = data.verifyReport;
      if (payload.userErrors.length) {
        const [error] = payload.userErrors;
        setOutcome({ ok: false, name: file.name, title: REFUSALS[error.code] ?? 'Not verified', message: error.message });
        return [];
      }
      setOutcome({ ok: true, name: file.name, verification: payload.verification });
      return [];
    });
  }

  return html`<${Form} form=${form} heading="Verify a report file" headingId="verify-report-heading" id="verify-report"
    onSubmit=${submit}>
    <p class="hint">Upload a report’s PDF or its JSON: Mutual tells whether it is, unchanged, a report of one of your partnerships.</p>
    <${Field} label="Report file (PDF or JSON)" name="file">
      <input type="file" accept=".pdf,.json,application/pdf,application/json" ref=${input} />
    <//>
    <div class="form-actions"><${SubmitButton} busyLabel="Checking…">Verify<//></div>
    ${outcome ? html`<${Outcome} outcome=${outcome} />` : null}
  <//>`;
}

function Outcome({ outcome }) {
  if (!outcome.ok) {
    return html`<div class="message message-error verify-outcome" role="alert">
      <p><strong>${outcome.title}.</strong> ${outcome.name}: ${outcome.message}</p>
    </div>`;
  }
  const { kind, sha256, report } = outcome.verification;
  return html`<div class="message message-success verify-outcome" role="status">
    <p><strong>Verified.</strong> ${`${outcome.name} (${kind}) is the report “${report.title}” as of ${report.asOf}, published by ${report.ownerParty.label} `}
      <${Moment} iso=${report.generatedAt} />.</p>
    <p class="small">sha256 <code class="hash">${sha256}</code></p>
  </div>`;
}
