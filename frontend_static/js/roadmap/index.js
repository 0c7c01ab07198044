// The roadmap section: the board, or one milestone when the address names it.

import { html, mount } from '../ui/html.js';
import { MilestonePage } from './detail.js';
import { RoadmapBoard } from './list.js';

export { milestoneHref } from './links.js';

export function renderRoadmap(content, args) {
  mount(content, args.itemId
    ? html`<${MilestonePage} args=${args} milestoneId=${args.itemId} />`
    : html`<${RoadmapBoard} args=${args} />`);
}
