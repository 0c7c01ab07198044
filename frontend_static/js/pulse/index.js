// The pulse surveys section: the cadence both LEADs agree on, the open survey to answer, and
// the results per side and period (aggregates only, none below 3 respondents).

import { html, mount } from '../ui/html.js';
import { PulseSurveys } from './surveys.js';

export function renderPulse(content, args) {
  mount(content, html`<${PulseSurveys} args=${args} />`);
}
