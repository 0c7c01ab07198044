// A clock badge: time left, paused, at risk, breached, met.

import { html } from '../ui/html.js';
import { duration } from './api.js';

const NAMES = { FIRST_RESPONSE: 'First response', RESOLUTION: 'Resolution' };

export function clockState(c) {
  if (c.breached) return { kind: 'breached', text: 'Breached' };
  if (c.stoppedAt) return { kind: 'met', text: 'Met' };
  if (c.paused) return { kind: 'paused', text: `Paused, ${duration(c.remainingSeconds)} left` };
  if (c.atRisk) return { kind: 'at-risk', text: `At risk, ${duration(c.remainingSeconds)} left` };
  return { kind: 'running', text: `${duration(c.remainingSeconds)} left` };
}

export function ClockBadge({ clock }) {
  const state = clockState(clock);
  const name = NAMES[clock.clock];
  const title = `${name}: ${duration(clock.elapsedSeconds)} used of ${duration(clock.targetSeconds)} (business time)`;
  return html`<span class=${`badge fb-clock fb-clock-${state.kind}`} title=${title}
    data-clock=${clock.clock} data-state=${state.kind}>${name}: ${state.text}</span>`;
}

export function ClockBadges({ item }) {
  return html`<span class="fb-clocks">
    <${ClockBadge} clock=${item.firstResponseClock} /> <${ClockBadge} clock=${item.resolutionClock} />
  </span>`;
}
