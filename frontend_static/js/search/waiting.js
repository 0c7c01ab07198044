// "Waiting on us": everything in the workspace that waits for this side to act (a proposal to
// accept or decline, a delivery to confirm or dispute, a new due date), across the domains,
// longest waiting first; refreshed live.

import { gql } from '../api.js';
import { byOtherSide } from '../live.js';
import { partnerName } from '../pages/common.js';
import { recordHref, recordName } from '../records.js';
import { html, useEffect } from '../ui/html.js';
import { useLiveChange, useSectionLoad } from '../ui/hooks.js';
import { LiveNotice, useLiveNotice } from '../ui/message.js';
import { Empty, Failed, Loading } from '../ui/states.js';
import { Moment } from '../ui/time.js';
import { WAITING_KINDS, WAITING_QUERY } from './api.js';

const HEADING_ID = 'waiting-list-heading';

export function WaitingList({ args }) {
  const { partnership, ctx, live } = args;
  const [state, load] = useSectionLoad(
    async () => (await gql(WAITING_QUERY, { id: partnership.id })).partnership.waitingOnYourSide,
    args,
  );
  const notice = useLiveNotice();

  useEffect(() => {
    load();
  }, []);
  useLiveChange(live, ctx, (e) => WAITING_KINDS.has(e.objectType), async (events) => {
    await load();
    if (byOtherSide(events)) notice.show(`${partnerName(partnership)} just made a change; the list is up to date.`);
  });

  const items = state.data;
  let body;
  if (state.error) body = html`<${Failed} error=${state.error} onRetry=${load} />`;
  else if (!items) body = html`<${Loading} text="Loading what waits for your side…" />`;
  else if (items.length === 0) {
    body = html`<${Empty} title="Nothing waits for your side"
      text="Proposals to accept, deliveries to confirm and new due dates to agree appear here as the other side sends them." />`;
  } else {
    body = html`<ul class="found-list" aria-labelledby=${HEADING_ID}>
      ${items.map((item) => html`<li class="found-item" key=${item.objectId}>
        <p class="found-title">
          <a href=${recordHref(partnership.id, item.objectType, item.objectId)}>${item.title}</a>
          <span class="tag tag-kind">${recordName(item.objectType)}</span>
        </p>
        <p class="found-asked"><strong>${item.asked}</strong>
          <span class="muted">${' · waiting since '}<${Moment} iso=${item.since} relative /></span></p>
      </li>`)}
    </ul>`;
  }
  const n = items?.length ?? 0;
  return html`<div>
    <p class="lede">What the other side waits for your side to answer, across the workspace, longest waiting first.</p>
    <${LiveNotice} notice=${notice.notice} />
    <section aria-labelledby=${HEADING_ID}>
      <h3 class="sr-only" id=${HEADING_ID}>Items waiting on your side</h3>
      <p class="result-count" aria-live="polite">${items ? `${n} ${n === 1 ? 'item waits' : 'items wait'} for your side.` : ''}</p>
      <div aria-busy=${state.busy ? 'true' : 'false'}>${body}</div>
    </section>
  </div>`;
}
