// The governance page: what waits for your side's acknowledgement, the disclosures of both
// sides, a new disclosure, and the decision log.

import { gql } from '../api.js';
import { byOtherSide } from '../live.js';
import { mutate, partnerName } from '../pages/common.js';
import { InternalBadge, SideChip } from '../ui/badges.js';
import { Field, Select } from '../ui/field.js';
import {
  Form, SubmitButton, useForm, useValues,
} from '../ui/form.js';
import { html, useEffect } from '../ui/html.js';
import { useLiveChange, useSectionLoad } from '../ui/hooks.js';
import { LiveNotice, useLiveNotice } from '../ui/message.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import { Table } from '../ui/table.js';
import { CREATE, GOVERNANCE_QUERY, isGovernanceEvent } from './api.js';
import { GovStatus } from './badges.js';
import { DecisionLog } from './decisions.js';
import { disclosureHref } from './links.js';
import { canGovern, TYPE_NAMES, TYPE_OPTIONS } from './words.js';

async function fetchGovernance(partnershipId) {
  const data = await gql(GOVERNANCE_QUERY, { id: partnershipId });
  return data.partnership;
}

export function GovernancePage({ args }) {
  const { partnership, ctx, live } = args;
  const [state, load] = useSectionLoad(() => fetchGovernance(partnership.id), args);
  const notice = useLiveNotice();
  useEffect(() => {
    ctx.setTitle(`Governance · ${partnership.name}`);
    load();
  }, []);
  useLiveChange(live, ctx, isGovernanceEvent, async (events) => {
    await load();
    if (byOtherSide(events)) notice.show(`${partnerName(partnership)} just changed the governance record; it is up to date.`);
  });

  const data = state.data;
  let body;
  if (state.error) body = html`<${Failed} error=${state.error} onRetry=${load} />`;
  else if (data === undefined) body = html`<${Loading} text="Loading disclosures and decisions…" />`;
  else {
    body = html`
      <${Pending} partnership=${partnership} pending=${data.pendingAcknowledgements} />
      <${Disclosures} partnership=${partnership} disclosures=${data.disclosures} />
      ${canGovern(partnership) ? html`<${NewDisclosureForm} partnership=${partnership} ctx=${ctx} />` : null}
      <${DecisionLog} partnership=${partnership} ctx=${ctx} decisions=${data.decisions}
        members=${data.members.nodes} onChanged=${load} />`;
  }
  return html`<div class="governance">
    <${LiveNotice} notice=${notice.notice} />
    <div aria-busy=${state.busy ? 'true' : 'false'}>${body}</div>
  </div>`;
}

function Pending({ partnership, pending }) {
  if (!pending.length) {
    return html`<p class="gov-pending gov-pending-none" data-testid="pending-count">No disclosure waits for your side’s acknowledgement.</p>`;
  }
  const count = pending.length === 1 ? '1 disclosure waits' : `${pending.length} disclosures wait`;
  return html`<section class="gov-pending card" aria-labelledby="gov-pending-heading">
    <h3 id="gov-pending-heading" data-testid="pending-count">${count} for your side’s acknowledgement</h3>
    <ul>
      ${pending.map((v) => html`<li key=${v.id}>
        <a href=${disclosureHref(partnership.id, v.disclosure.id)}>${v.title}</a> (version ${v.number})
      </li>`)}
    </ul>
  </section>`;
}

function receipt(d) {
  const latest = d.latestPublished;
  if (!latest) return 'Not published yet';
  if (latest.acknowledgement) return `Version ${latest.number} acknowledged`;
  if (latest.awaitingYourAcknowledgement) return html`<strong>Awaiting your acknowledgement</strong>`;
  return `Version ${latest.number} awaiting the partner’s acknowledgement`;
}

function Disclosures({ partnership, disclosures }) {
  const columns = [
    {
      label: 'Disclosure',
      rowHeader: true,
      cell: (d) => html`<a href=${disclosureHref(partnership.id, d.id)}>${d.title}</a>
        ${d.visibility === 'INTERNAL' ? html` <${InternalBadge} title="Not published yet: only your side sees it" />` : null}`,
    },
    { label: 'Type', cell: (d) => TYPE_NAMES[d.type] ?? d.type },
    { label: 'Side', cell: (d) => html`<${SideChip} party=${d.ownerParty} />` },
    {
      label: 'Latest version',
      cell: (d) => {
        const last = d.versions[d.versions.length - 1];
        return last ? html`${`Version ${last.number} `}<${GovStatus} status=${last.status} />` : '';
      },
    },
    { label: 'Acknowledgement', cell: receipt },
  ];
  return html`<section class="gov-disclosures" aria-labelledby="gov-disclosures-heading">
    <h3 id="gov-disclosures-heading">Disclosures</h3>
    ${disclosures.nodes.length
      ? html`<${Table} columns=${columns} rows=${disclosures.nodes} rowKey=${(d) => d.id} labelledBy="gov-disclosures-heading" />`
      : html`<${Empty} title="No disclosures yet" text="Decision processes, codes of conduct, compliance policies and audit results, published by either side and acknowledged by the other." />`}
  </section>`;
}

function NewDisclosureForm({ partnership, ctx }) {
  const form = useForm();
  const { values, bind } = useValues({ type: 'DECISION_PROCESS', title: '', body: '' });
  function submit() {
    if (!values.title.trim()) {
      form.fail([{ field: 'title', message: 'Give the disclosure a title.' }]);
      return;
    }
    form.run(async () => {
      const { payload, errors } = await mutate(CREATE, {
        input: {
          partnershipId: partnership.id, type: values.type, title: values.title.trim(), body: values.body,
        },
      }, 'createDisclosure');
      if (errors.length) return errors;
      if (ctx.isCurrent()) ctx.navigate(disclosureHref(partnership.id, payload.disclosure.id).slice(1));
      return undefined;
    });
  }
  return html`<${Form} form=${form} id="new-disclosure" className="form card" level=${3}
    heading="New disclosure" headingId="new-disclosure-heading" onSubmit=${submit}>
    <p class="hint">A draft only your side sees until a second Governance member or Lead of your side publishes it.</p>
    <div class="form-row">
      <${Field} label="Type" name="type"><${Select} options=${TYPE_OPTIONS} ...${bind('type')} /><//>
      <${Field} label="Title" name="title"><input type="text" maxlength="200" autocomplete="off" ...${bind('title')} /><//>
    </div>
    <${Field} label="Text" name="body" hint="Markdown: headings, lists, emphasis, links and tables.">
      <textarea rows="6" ...${bind('body')}></textarea>
    <//>
    <div><${SubmitButton} busyLabel="Creating…">Create draft<//></div>
  <//>`;
}
