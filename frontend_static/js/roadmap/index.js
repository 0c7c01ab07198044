// The roadmap section: the board, or one milestone when the address names it.

import { renderMilestone } from './detail.js';
import { renderRoadmapBoard } from './list.js';

export { milestoneHref } from './links.js';

export function renderRoadmap(content, args) {
  if (args.itemId) renderMilestone(content, args, args.itemId);
  else renderRoadmapBoard(content, args);
}
