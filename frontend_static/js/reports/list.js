// Risk and compliance reports of a partnership: generate one (GOVERNANCE or LEAD), download its
// PDF, CSV files or JSON, acknowledge the other side's, schedule them, and verify a copy.

import { gql } from '../api.js';
import { byOtherSide } from '../live.js';
import { partnerName, todayUtcIso } from '../pages/common.js';
import { SideChip } from '../ui/badges.js';
import { Field, Select } from '../ui/field.js';
import {
  Button, Form, SubmitButton, useForm, useValues,
} from '../ui/form.js';
import { html, useEffect, useState } from '../ui/html.js';
import { useFocus, useLiveChange, useSectionLoad } from '../ui/hooks.js';
import { LiveNotice, Message, useLiveNotice } from '../ui/message.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import { Table } from '../ui/table.js';
import { Day, Moment } from '../ui/time.js';
import {
  ACKNOWLEDGE_REPORT, CANCEL_SCHEDULE, CREATE_SCHEDULE, GENERATE_REPORT, RELEVANT, REPORTS_QUERY,
} from './api.js';
import { VerifyForm } from './verify.js';

const HEADING_ID = 'report-list-heading';
const CADENCES = [
  { value: 'MONTHLY', label: 'Monthly' },
  { value: 'QUARTERLY', label: 'Quarterly' },
];

export function ReportList({ args }) {
  const { partnership, ctx, live } = args;
  const [state, load] = useSectionLoad(async () => (await gql(REPORTS_QUERY, { id: partnership.id })).partnership, args);
  const [banner, setBanner] = useState({ status: null, alert: null });
  const [busy, setBusy] = useState(null);
  const notice = useLiveNotice();
  const [root, focusLater] = useFocus();

  useEffect(() => {
    load();
  }, []);
  useLiveChange(live, ctx, (e) => RELEVANT.has(e.objectType), async (events) => {
    await load();
    if (byOtherSide(events)) notice.show(`${partnerName(partnership)} just changed the reports; the list is up to date.`);
  });

  async function acknowledge(report) {
    setBusy(report.id);
    setBanner({ status: null, alert: null });
    try {
      const data = await gql(ACKNOWLEDGE_REPORT, { input: { reportId: report.id, sha256: report.sha256 } });
      const errors = data.acknowledgeReport.userErrors;
      if (errors.length) setBanner({ status: null, alert: errors.map((e) => e.message) });
      else {
        await load();
        setBanner({ status: `You acknowledged “${report.title}” (sha256 ${report.sha256.slice(0, 12)}…).`, alert: null });
        focusLater(`#${HEADING_ID}`);
      }
    } catch (error) {
      if (error.code !== 'UNAUTHENTICATED') setBanner({ status: null, alert: error.message });
    } finally {
      setBusy(null);
    }
  }

  async function generated(report) {
    await load();
    setBanner({ status: `Report “${report.title}” generated: sha256 ${report.sha256.slice(0, 12)}…. ${partnerName(partnership)} can now acknowledge it.`, alert: null });
  }

  const data = state.data;
  let body;
  if (state.error && !data) body = html`<${Failed} error=${state.error} onRetry=${load} />`;
  else if (!data) body = html`<${Loading} text="Loading reports…" />`;
  else if (data.reports.nodes.length === 0) {
    body = html`<${Empty} title="No reports yet"
      text=${data.viewerCanPublishReports ? 'Generate the first one above.' : 'Reports appear here once a Governance member or a Lead generates one.'} />`;
  } else {
    body = html`<${ReportTable} reports=${data.reports.nodes} busy=${busy} onAcknowledge=${acknowledge} />`;
  }

  return html`<div ref=${root}>
    <p class="lede">Risk and compliance reports: a frozen snapshot of the partnership as of a day, hashed, downloadable as PDF or CSV, and acknowledged by the other side. Anyone holding a copy can check it against the record.</p>
    <${LiveNotice} notice=${notice.notice} />
    ${data?.viewerCanPublishReports
      ? html`<${GenerateForm} partnership=${partnership} onGenerated=${generated} />`
      : html`<p class="note">Only a Governance member or a Lead of your side generates, schedules and acknowledges reports.</p>`}
    <${Message} kind="success" messages=${banner.status} />
    <${Message} kind="error" messages=${banner.alert} />
    <div class="list-body">
      <h3 id=${HEADING_ID} tabindex="-1">Reports</h3>
      <div aria-busy=${state.busy ? 'true' : 'false'}>${body}</div>
    </div>
    <div class="report-tools">
      <${VerifyForm} />
      ${data ? html`<${Schedules} data=${data} partnership=${partnership} onChanged=${load} />` : null}
    </div>
  </div>`;
}

function Acknowledged({ report }) {
  const acks = report.acknowledgements;
  if (acks.length) {
    return html`${acks.map((a) => html`<p class="small" key=${a.party.id}>
      ${`Acknowledged by ${a.acknowledgedByName} (${a.party.label}) `}<${Moment} iso=${a.acknowledgedAt} dateOnly />
    </p>`)}`;
  }
  return html`<span class="muted">${report.ownerParty.isOwn ? 'Waiting for the other side' : 'Waiting for your side'}</span>`;
}

function ReportTable({ reports, busy, onAcknowledge }) {
  const columns = [
    {
      label: 'Report',
      rowHeader: true,
      cell: (r) => html`<span class="report-title">${r.title}</span>${r.scheduled ? html` <span class="tag">scheduled</span>` : null}
        <span class="small muted report-as-of">As of <${Day} iso=${r.asOf} /></span>`,
    },
    { label: 'Published by', cell: (r) => html`<${SideChip} party=${r.ownerParty} />` },
    { label: 'sha256', cell: (r) => html`<code class="hash" title=${r.sha256}>${r.sha256.slice(0, 12)}…</code>` },
    { label: 'Acknowledgement', cell: (r) => html`<${Acknowledged} report=${r} />` },
    {
      label: 'Downloads',
      cell: (r) => html`<span class="report-downloads">
        <a href=${r.pdfUrl} download aria-label=${`Download the PDF of ${r.title}`} data-key=${`pdf-${r.id}`}>PDF</a>
        <a href=${r.csvUrl} download aria-label=${`Download the CSV files of ${r.title}`}>CSV</a>
        <a href=${r.jsonUrl} download aria-label=${`Download the JSON of ${r.title}`}>JSON</a>
      </span>`,
    },
    {
      label: 'Actions',
      cell: (r) => (r.viewerCanAcknowledge
        ? html`<${Button} className="button button-small" busy=${busy === r.id} busyLabel="Acknowledging…"
            aria-label=${`Acknowledge ${r.title}`} onClick=${() => onAcknowledge(r)}>Acknowledge<//>`
        : null),
    },
  ];
  return html`<${Table} columns=${columns} rows=${reports} rowKey=${(r) => r.id} labelledBy=${HEADING_ID} className="report-table" />`;
}

function GenerateForm({ partnership, onGenerated }) {
  const form = useForm();
  const { values, bind } = useValues({ asOf: todayUtcIso(), title: '' });

  function submit() {
    form.run(async () => {
      const input = { partnershipId: partnership.id, asOf: values.asOf || null };
      if (values.title.trim()) input.title = values.title;
      const data = await gql(GENERATE_REPORT, { input });
      const payload = data.generateReport;
      if (payload.userErrors.length) return payload.userErrors;
      await onGenerated(payload.report);
      return [];
    });
  }

  return html`<${Form} form=${form} heading="Generate a report" headingId="generate-report-heading" id="generate-report"
    onSubmit=${submit}>
    <div class="form-row">
      <${Field} label="As of" name="asOf" hint="The day whose state the report freezes (UTC); today or earlier.">
        <input type="date" max=${todayUtcIso()} ...${bind('asOf')} />
      <//>
      <${Field} label="Title (optional)" name="title">
        <input type="text" maxlength="200" placeholder="Risk and compliance report as of …" ...${bind('title')} />
      <//>
    </div>
    <div class="form-actions"><${SubmitButton} busyLabel="Generating…">Generate report<//></div>
  <//>`;
}

function Schedules({ data, partnership, onChanged }) {
  const form = useForm();
  const { values, bind } = useValues({ cadence: 'MONTHLY' });
  const [status, setStatus] = useState(null);
  const active = data.reportSchedules.filter((s) => s.active);

  function submit() {
    setStatus(null);
    form.run(async () => {
      const result = await gql(CREATE_SCHEDULE, { input: { partnershipId: partnership.id, cadence: values.cadence } });
      const payload = result.createReportSchedule;
      if (payload.userErrors.length) return payload.userErrors;
      await onChanged();
      setStatus(`Scheduled: “${payload.schedule.title}”.`);
      return [];
    });
  }

  async function cancel(schedule) {
    setStatus(null);
    const result = await gql(CANCEL_SCHEDULE, { input: { scheduleId: schedule.id, expectedVersion: schedule.version } });
    const errors = result.cancelReportSchedule.userErrors;
    if (errors.length) form.fail(errors);
    else {
      await onChanged();
      setStatus(`“${schedule.title}” is cancelled; its reports stay.`);
    }
  }

  return html`<section class="card report-schedules" aria-labelledby="report-schedules-heading">
    <h4 id="report-schedules-heading">Scheduled reports</h4>
    <${Message} kind="success" messages=${status} />
    ${active.length === 0 ? html`<p class="muted">No report is scheduled.</p>` : html`<ul class="plain-list">
      ${active.map((s) => html`<li key=${s.id}>
        ${`${s.title} · next on `}<${Day} iso=${s.nextRunOn} />${` · by ${s.ownerParty.label}`}
        ${data.viewerCanPublishReports && s.ownerParty.isOwn
          ? html` <button type="button" class="button button-small" aria-label=${`Cancel ${s.title}`} onClick=${() => cancel(s)}>Cancel</button>` : null}
      </li>`)}
    </ul>`}
    ${data.viewerCanPublishReports ? html`<${Form} form=${form} heading="Schedule reports" headingId="schedule-report-heading"
      id="schedule-report" level=${5} className="form" onSubmit=${submit}>
      <${Field} label="Every" name="cadence"><${Select} options=${CADENCES} ...${bind('cadence')} /><//>
      <div class="form-actions"><${SubmitButton} busyLabel="Scheduling…">Schedule<//></div>
    <//>` : null}
  </section>`;
}
