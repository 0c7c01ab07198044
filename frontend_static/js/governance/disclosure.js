// One disclosure: its versions, the one chosen (text, attachments, hash, receipt) with its
// diff from the version before, and the steps: edit, attach, remove a file (a draft's, confirmed
// in a dialog), submit, publish, new version on the side that writes it; acknowledge on the other.

import { gql } from '../api.js';
import { byOtherSide } from '../live.js';
import { mutate, partnerName } from '../pages/common.js';
import { partnershipHref } from '../pages/partnerships.js';
import { InternalBadge, SideChip } from '../ui/badges.js';
import { ConfirmDialog } from '../ui/dialog.js';
import { Facts } from '../ui/facts.js';
import { Field } from '../ui/field.js';
import {
  Button, Form, SubmitButton, useForm, useValues,
} from '../ui/form.js';
import { html, useEffect, useState } from '../ui/html.js';
import { useLiveChange, useSectionLoad } from '../ui/hooks.js';
import { LiveNotice, Message, useLiveNotice } from '../ui/message.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import { Moment } from '../ui/time.js';
import {
  ACKNOWLEDGE, ATTACH, ATTACHMENT_QUERY, DISCLOSURE_QUERY, isGovernanceEvent, NEW_VERSION, PUBLISH,
  REMOVE_ATTACHMENT, RETURN, SUBMIT, UPDATE_DRAFT,
} from './api.js';
import { GovStatus } from './badges.js';
import { canGovern, shortHash, TYPE_NAMES } from './words.js';

async function fetchDisclosure(disclosureId) {
  const data = await gql(DISCLOSURE_QUERY, { id: disclosureId }).catch((error) => {
    if (error.code === 'NOT_FOUND') return { node: null };
    throw error;
  });
  return data.node && data.node.title ? data.node : null;
}

export function DisclosurePage({ args, disclosureId }) {
  const { partnership, ctx, live } = args;
  const [state, load] = useSectionLoad(() => fetchDisclosure(disclosureId), args);
  const [chosen, setChosen] = useState(null);
  const [status, setStatus] = useState(null);
  const [alert, setAlert] = useState(null);
  const notice = useLiveNotice();
  const d = state.data;
  useEffect(() => {
    load();
  }, []);
  useEffect(() => {
    if (d) ctx.setTitle(`${d.title} · Governance · ${partnership.name}`);
  }, [d]);
  useLiveChange(live, ctx, isGovernanceEvent, async (events) => {
    await load();
    if (byOtherSide(events)) notice.show(`${partnerName(partnership)} just changed this disclosure; it is up to date.`);
  });

  async function step(document, name, input, done) {
    setAlert(null);
    const { payload, errors } = await mutate(document, { input }, name);
    if (errors.length) {
      setStatus(null);
      setAlert(errors.map((e) => e.message));
      await load();
      return null;
    }
    if (!ctx.isCurrent()) return null;
    // The page shows the new state before it says so: a next step then starts from it.
    await load();
    setChosen(payload.version.number);
    setStatus(done(payload.version));
    return payload.version;
  }

  const back = partnershipHref(partnership.id, 'governance');
  let body;
  if (state.error) body = html`<${Failed} error=${state.error} onRetry=${load} />`;
  else if (d === undefined) body = html`<${Loading} text="Loading the disclosure…" />`;
  else if (d === null) {
    body = html`<${Empty} title="Disclosure not found" text="It may not exist, or it is a draft of the other side.">
      <a class="button" href=${back}>Back to governance</a>
    <//>`;
  } else {
    const number = chosen ?? d.versions[d.versions.length - 1]?.number;
    const version = d.versions.find((v) => v.number === number) ?? d.versions[d.versions.length - 1];
    body = html`<${Disclosure} d=${d} version=${version} partnership=${partnership}
      onChoose=${setChosen} step=${step} />`;
  }
  return html`<div class="gov-disclosure">
    <p class="back-link"><a href=${back}>← Back to governance</a></p>
    <${LiveNotice} notice=${notice.notice} />
    <${Message} kind="success" messages=${status} />
    <${Message} kind="error" messages=${alert} />
    <div aria-busy=${state.busy ? 'true' : 'false'}>${body}</div>
  </div>`;
}

function Disclosure({
  d, version, partnership, onChoose, step,
}) {
  const own = d.ownerParty.isOwn;
  const latest = d.versions[d.versions.length - 1];
  return html`
    <div class="detail-head">
      <h3 class="detail-title" id="disclosure-heading" tabindex="-1">${d.title}</h3>
      ${d.visibility === 'INTERNAL' ? html`<${InternalBadge} title="Not published yet: only your side sees it" />` : null}
    </div>
    <${Facts} items=${[
      ['Type', TYPE_NAMES[d.type] ?? d.type],
      ['Published by', html`<${SideChip} party=${d.ownerParty} />`],
    ]} />
    <nav class="gov-versions" aria-label="Versions">
      <ul>
        ${d.versions.map((v) => html`<li key=${v.id}>
          <button type="button" class=${`button button-small${v.number === version.number ? ' is-current' : ''}`}
            aria-pressed=${v.number === version.number ? 'true' : 'false'} onClick=${() => onChoose(v.number)}>
            Version ${v.number} · ${v.status === 'SUPERSEDED' ? 'superseded' : v.status.toLowerCase().replace('_', ' ')}
          </button>
        </li>`)}
      </ul>
    </nav>
    <${VersionView} v=${version} own=${own} partnership=${partnership} step=${step}
      removable=${own && canGovern(partnership) && version.number === latest.number && version.status === 'DRAFT'} />
    ${own && canGovern(partnership) && version.number === latest.number
      ? html`<${OwnSteps} d=${d} v=${version} step=${step} />`
      : null}
    ${!own && version.awaitingYourAcknowledgement && canGovern(partnership)
      ? html`<${Acknowledge} v=${version} step=${step} />`
      : null}`;
}

function VersionView({
  v, own, partnership, step, removable,
}) {
  const receipt = v.acknowledgement;
  const facts = [
    ['Status', html`<${GovStatus} status=${v.status} />`],
    ['Written by', v.createdBy?.displayName ?? ''],
  ];
  if (v.submittedBy) facts.push(['Submitted by', v.submittedBy.displayName]);
  if (v.publishedAt) {
    facts.push(['Published', html`<${Moment} iso=${v.publishedAt} />${v.publishedBy ? ` by ${v.publishedBy.displayName}` : ''}`]);
    facts.push(['Content hash', html`<code title=${v.contentHash} data-testid="content-hash">${shortHash(v.contentHash)}</code>`]);
    facts.push(['Acknowledgement', receipt
      ? html`<span data-testid="receipt">Acknowledged by ${receipt.acknowledgedBy?.displayName ?? receipt.party.organization.name}, <${Moment} iso=${receipt.acknowledgedAt} /> (hash <code>${shortHash(receipt.contentHash)}</code>)</span>`
      : html`<span data-testid="receipt">${v.supersededBeforeAcknowledgement
        ? 'Superseded before it was acknowledged'
        : own ? `Awaiting ${partnerName(partnership)}’s acknowledgement` : 'Awaiting your acknowledgement'}</span>`]);
  }
  return html`<section class="gov-version card" aria-labelledby="version-heading">
    <h4 id="version-heading">Version ${v.number}: ${v.title}</h4>
    <${Facts} items=${facts} />
    ${v.previousNumber ? html`<${Diff} v=${v} />` : null}
    <div class="gov-body markdown" dangerouslySetInnerHTML=${{ __html: v.bodyHtml }}></div>
    <${Attachments} v=${v} step=${step} removable=${removable} />
  </section>`;
}

function Diff({ v }) {
  const changed = v.diffFromPrevious.some((line) => line.kind !== 'SAME');
  return html`<section class="gov-diff" aria-labelledby=${`diff-${v.id}`}>
    <h5 id=${`diff-${v.id}`}>Changes from version ${v.previousNumber}</h5>
    ${changed
      ? html`<pre class="gov-diff-lines">${v.diffFromPrevious.map((line, i) => {
        if (line.kind === 'ADDED') return html`<ins key=${i}><span class="sr-only">Added: </span>+ ${line.text}${'\n'}</ins>`;
        if (line.kind === 'REMOVED') return html`<del key=${i}><span class="sr-only">Removed: </span>- ${line.text}${'\n'}</del>`;
        return html`<span key=${i}>${'  '}${line.text}${'\n'}</span>`;
      })}</pre>`
      : html`<p class="hint">The text is the same as in version ${v.previousNumber}.</p>`}
  </section>`;
}

function Attachments({ v, step, removable }) {
  const [files, setFiles] = useState(null);
  const [confirming, setConfirming] = useState(null);
  const [removing, setRemoving] = useState(false);
  if (!v.attachments.length) return null;
  async function remove(a) {
    setRemoving(true);
    await step(REMOVE_ATTACHMENT, 'removeDisclosureAttachment', { attachmentId: a.id },
      () => `“${a.filename}” removed from version ${v.number}.`);
    setRemoving(false);
    setConfirming(null);
  }
  async function prepare() {
    const data = await gql(ATTACHMENT_QUERY, { id: v.id });
    setFiles(new Map(data.node.attachments.map((a) => [a.id, `data:${a.contentType};base64,${a.contentBase64}`])));
  }
  return html`<section class="gov-attachments" aria-labelledby=${`files-${v.id}`}>
    <h5 id=${`files-${v.id}`}>Attachments</h5>
    <ul>
      ${v.attachments.map((a) => html`<li key=${a.id}>
        ${files?.has(a.id)
          ? html`<a href=${files.get(a.id)} download=${a.filename}>${a.filename}</a>`
          : html`<span>${a.filename}</span>`}
        <span class="hint"> ${a.contentType}, ${a.size} bytes, sha256 <code title=${a.sha256}>${shortHash(a.sha256)}</code></span>
        ${removable
          ? html` <button type="button" class="button button-small" aria-label=${`Remove ${a.filename}`}
              onClick=${() => setConfirming(a)}>Remove</button>`
          : null}
      </li>`)}
    </ul>
    ${files ? null : html`<${Button} className="button button-small" onClick=${prepare}>Prepare the downloads<//>`}
    ${removable
      ? html`<${ConfirmDialog} open=${Boolean(confirming)} danger busy=${removing} busyLabel="Removing…"
          title=${confirming ? `Remove “${confirming.filename}”?` : ''}
          text="The file leaves this draft; a published version that holds it keeps it."
          confirmLabel="Yes, remove the file"
          onConfirm=${() => remove(confirming)} onCancel=${() => setConfirming(null)} />`
      : null}
  </section>`;
}

function Acknowledge({ v, step }) {
  const [busy, setBusy] = useState(false);
  async function acknowledge() {
    setBusy(true);
    await step(ACKNOWLEDGE, 'acknowledgeDisclosureVersion', { versionId: v.id },
      (done) => `Your side acknowledged version ${done.number}.`);
    setBusy(false);
  }
  return html`<div class="gov-acknowledge card">
    <p>Read this version (and its changes) before you acknowledge it: the receipt records who, when, and the content hash.</p>
    <${Button} className="button button-primary" busy=${busy} busyLabel="Acknowledging…" onClick=${acknowledge}>
      Acknowledge version ${v.number}
    <//>
  </div>`;
}

function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',', 2)[1] ?? '');
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function OwnSteps({ d, v, step }) {
  const [busy, setBusy] = useState(null);
  async function run(name, document, field, input, done) {
    setBusy(name);
    await step(document, field, input, done);
    setBusy(null);
  }
  const at = { versionId: v.id, expectedVersion: v.version };
  if (v.status === 'DRAFT') {
    return html`<div class="gov-steps">
      <${DraftEditor} v=${v} step=${step} />
      <${AttachForm} v=${v} step=${step} />
      <${Button} className="button button-primary" busy=${busy === 'submit'} busyLabel="Submitting…"
        onClick=${() => run('submit', SUBMIT, 'submitDisclosureVersion', at, (x) => `Version ${x.number} is in review: another Governance member or Lead of your side publishes it.`)}>
        Submit for review
      <//>
    </div>`;
  }
  if (v.status === 'IN_REVIEW') {
    return html`<div class="gov-steps form-actions">
      <${Button} className="button button-primary" busy=${busy === 'publish'} busyLabel="Publishing…"
        onClick=${() => run('publish', PUBLISH, 'publishDisclosureVersion', at, (x) => `Version ${x.number} is published; the partner is asked to acknowledge it.`)}>
        Approve and publish
      <//>
      <${Button} busy=${busy === 'return'} busyLabel="Returning…"
        onClick=${() => run('return', RETURN, 'returnDisclosureVersion', at, (x) => `Version ${x.number} is back in draft.`)}>
        Return to draft
      <//>
    </div>`;
  }
  return html`<div class="gov-steps">
    <${Button} busy=${busy === 'new'} busyLabel="Creating…"
      onClick=${() => run('new', NEW_VERSION, 'createDisclosureVersion', { disclosureId: d.id }, (x) => `Version ${x.number} is a draft, from version ${x.number - 1}.`)}>
      Start a new version
    <//>
  </div>`;
}

function DraftEditor({ v, step }) {
  const form = useForm();
  const { values, bind } = useValues({ title: v.title, body: v.body });
  function submit() {
    form.run(async () => {
      const done = await step(UPDATE_DRAFT, 'updateDisclosureDraft', {
        versionId: v.id, expectedVersion: v.version, title: values.title, body: values.body,
      }, (x) => `Version ${x.number} saved.`);
      return done ? undefined : [];
    });
  }
  return html`<${Form} form=${form} id="edit-draft" className="form card" level=${4}
    heading=${`Edit version ${v.number}`} headingId="edit-draft-heading" onSubmit=${submit}>
    <${Field} label="Title" name="title"><input type="text" maxlength="200" ...${bind('title')} /><//>
    <${Field} label="Text" name="body" hint="Markdown."><textarea rows="8" ...${bind('body')}></textarea><//>
    <div><${SubmitButton}>Save draft<//></div>
  <//>`;
}

function AttachForm({ v, step }) {
  const form = useForm();
  const [file, setFile] = useState(null);
  function submit() {
    if (!file) {
      form.fail([{ field: 'file', message: 'Choose a file.' }]);
      return;
    }
    form.run(async () => {
      const content = await readBase64(file);
      const done = await step(ATTACH, 'addDisclosureAttachment', {
        versionId: v.id, filename: file.name, contentType: file.type || 'application/octet-stream', contentBase64: content,
      }, () => `“${file.name}” attached.`);
      return done ? undefined : [];
    });
  }
  return html`<${Form} form=${form} id="attach-file" className="form card" level=${4}
    heading="Attach a file" headingId="attach-file-heading" onSubmit=${submit}>
    <${Field} label="File" name="file" hint="PDF, PNG, JPEG, text, Markdown or CSV; at most 512 KB.">
      <input type="file" accept=".pdf,.png,.jpg,.jpeg,.txt,.md,.csv" onChange=${(e) => setFile(e.currentTarget.files[0] ?? null)} />
    <//>
    <div><${SubmitButton} busyLabel="Attaching…">Attach<//></div>
  <//>`;
}
