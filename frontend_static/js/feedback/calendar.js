// One side's business calendar in the SLA policy form, as the API takes it: an IANA time zone,
// the working days, the opening hours, and the holidays as a list of dates.

import { Field, FieldSet, Select, useFieldError } from '../ui/field.js';
import { html, useLayoutEffect, useRef, useState } from '../ui/html.js';
import { useUid } from '../ui/hooks.js';

export const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
export const NEW_CALENDAR = {
  timeZone: 'UTC', start: '09:00', end: '17:00', workingDays: [1, 2, 3, 4, 5], holidays: [],
};

let zones = null;

/** The IANA time zones the browser knows (UTC first), and `current` if it knows not that one. */
function zoneOptions(current) {
  if (zones === null) {
    const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    zones = ['UTC', ...known.filter((z) => z !== 'UTC')];
  }
  const list = zones.includes(current) ? zones : [current, ...zones];
  return list.map((z) => ({ value: z, label: z.replaceAll('_', ' ') }));
}

/** A calendar of the API (or none) as the form edits it. */
export function calendarValues(calendar) {
  if (!calendar) return { ...NEW_CALENDAR, holidays: [] };
  return {
    timeZone: calendar.timeZone,
    start: calendar.start.slice(0, 5),
    end: calendar.end.slice(0, 5),
    workingDays: [...calendar.workingDays],
    holidays: [...calendar.holidays],
  };
}

/**
 * The fields of one side's calendar, at `index` in the input's calendars (the API names its
 * errors so: calendars[0].timeZone, calendars[0].workingDays, ...). onChange(calendar).
 */
export function CalendarFields({ party, index, calendar, onChange }) {
  const at = `calendars[${index}]`;
  const legendId = useUid('fb-calendar');
  const daysInvalid = useFieldError(`${at}.workingDays`);
  const list = useRef(null);
  const [focusHoliday, setFocusHoliday] = useState(null);
  useLayoutEffect(() => {
    if (focusHoliday === null) return;
    const inputs = list.current?.querySelectorAll('input[type="date"]') ?? [];
    (inputs[focusHoliday] ?? list.current?.parentElement.querySelector('.fb-add-holiday'))?.focus();
    setFocusHoliday(null);
  }, [focusHoliday]);

  const change = (key, value) => onChange({ ...calendar, [key]: value });
  const toggleDay = (day, on) => change(
    'workingDays',
    on ? [...new Set([...calendar.workingDays, day])].sort((a, b) => a - b) : calendar.workingDays.filter((d) => d !== day),
  );
  const setHoliday = (j, value) => change('holidays', calendar.holidays.map((h, k) => (k === j ? value : h)));
  const removeHoliday = (j) => {
    change('holidays', calendar.holidays.filter((_, k) => k !== j));
    setFocusHoliday(Math.min(j, calendar.holidays.length - 2));
  };
  const name = party.organization.name;

  return html`<fieldset class="fb-calendar" aria-labelledby=${legendId}>
    <legend id=${legendId}>Business hours of ${name}${party.isOwn ? ' (your side)' : ''}</legend>
    <div class="form-row">
      <${Field} label="Time zone" name=${`${at}.timeZone`}>
        <${Select} options=${zoneOptions(calendar.timeZone)} value=${calendar.timeZone}
          onChange=${(e) => change('timeZone', e.currentTarget.value)} />
      <//>
      <${Field} label="Opens" name=${`${at}.start`}>
        <input type="time" value=${calendar.start} onInput=${(e) => change('start', e.currentTarget.value)} />
      <//>
      <${Field} label="Closes" name=${`${at}.end`}>
        <input type="time" value=${calendar.end} onInput=${(e) => change('end', e.currentTarget.value)} />
      <//>
    </div>
    <${FieldSet} legend="Working days" name=${`${at}.workingDays`} className="fb-days">
      <div class="checkboxes fb-day-list">
        ${DAY_NAMES.map((day, i) => html`<div class="checkbox" key=${day}>
          <input type="checkbox" id=${`${legendId}-day-${i + 1}`} checked=${calendar.workingDays.includes(i + 1)}
            aria-invalid=${daysInvalid && i === 0 ? 'true' : undefined}
            onChange=${(e) => toggleDay(i + 1, e.currentTarget.checked)} />
          <label for=${`${legendId}-day-${i + 1}`}>${day}</label>
        </div>`)}
      </div>
    <//>
    <${FieldSet} legend="Holidays" name=${`${at}.holidays`} className="fb-holidays"
      hint="Days the clocks do not count, in this side’s time zone.">
      ${calendar.holidays.length === 0 ? html`<p class="note">No holidays.</p>` : null}
      <ul class="fb-holiday-list" ref=${list}>
        ${calendar.holidays.map((day, j) => html`<li key=${j} class="fb-holiday">
          <${Field} label=${`Holiday ${j + 1}`} name=${`${at}.holidays[${j}]`}>
            <input type="date" value=${day} onInput=${(e) => setHoliday(j, e.currentTarget.value)} />
          <//>
          <button type="button" class="button button-small button-quiet"
            aria-label=${`Remove holiday ${j + 1} of ${name}`} onClick=${() => removeHoliday(j)}>Remove</button>
        </li>`)}
      </ul>
      <button type="button" class="button button-small fb-add-holiday" onClick=${() => {
        change('holidays', [...calendar.holidays, '']);
        setFocusHoliday(calendar.holidays.length);
      }}>Add a holiday for ${name}</button>
    <//>
  </fieldset>`;
}
