// A small time-series chart drawn as inline SVG: the measurements as a line with one point
// each, and the KPI's baseline, target, warning and critical levels as labelled horizontal
// lines over shaded zones. No library; it redraws itself when its container changes width.

const SVG_NS = 'http://www.w3.org/2000/svg';
const HEIGHT = 300;
const MARGIN = { top: 18, right: 118, bottom: 34, left: 52 };
const NARROW = 520;

let chartCount = 0;

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined && value !== false) el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** A "nice" step for about `count` ticks over `span` (1, 2, 2.5 or 5 × a power of ten). */
function niceStep(span, count) {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

function dayValue(iso) {
  return Date.parse(`${String(iso).slice(0, 10)}T00:00:00Z`);
}

/** Push labels apart vertically so that none overlap (minimum gap in pixels). */
function spread(labels, gap, top, bottom) {
  const sorted = [...labels].sort((a, b) => a.y - b.y);
  for (let i = 1; i < sorted.length; i += 1) {
    if (sorted[i].y - sorted[i - 1].y < gap) sorted[i].y = sorted[i - 1].y + gap;
  }
  const overflow = sorted.length ? sorted[sorted.length - 1].y - bottom : 0;
  if (overflow > 0) {
    for (const label of sorted) label.y -= overflow;
    for (let i = sorted.length - 2; i >= 0; i -= 1) {
      if (sorted[i + 1].y - sorted[i].y < gap) sorted[i].y = sorted[i + 1].y - gap;
    }
  }
  for (const label of sorted) label.y = Math.max(top, label.y);
  return sorted;
}

/**
 * Draw the chart into `container` and keep it drawn at the container's width.
 * options: { points: [{period, value}], baseline, target, warning, critical, direction,
 *            formatValue(v), formatPeriod(iso), title, description }
 * Returns { disconnect() } to stop following the container's width.
 */
export function timeSeriesChart(container, options) {
  chartCount += 1;
  const id = `chart-${chartCount}`;
  let lastWidth = 0;

  function draw() {
    const width = Math.max(300, Math.floor(container.clientWidth || 640));
    if (width === lastWidth) return;
    lastWidth = width;
    container.replaceChildren(build(width, id, options));
  }

  draw();
  let observer = null;
  if (typeof ResizeObserver === 'function') {
    observer = new ResizeObserver(() => {
      if (!container.isConnected) {
        observer.disconnect();
        return;
      }
      draw();
    });
    observer.observe(container);
  }
  return { disconnect: () => observer?.disconnect() };
}

function build(width, id, options) {
  const {
    points, baseline, target, warning, critical, direction = 'HIGHER_IS_BETTER',
    formatValue = (v) => String(v), formatPeriod = (iso) => iso, title, description,
  } = options;
  const narrow = width < NARROW;
  const margin = { ...MARGIN, right: narrow ? 84 : MARGIN.right };
  const plotW = width - margin.left - margin.right;
  const plotH = HEIGHT - margin.top - margin.bottom;

  const references = [
    { key: 'target', label: 'Target', value: target },
    { key: 'warning', label: 'Warning', value: warning },
    { key: 'critical', label: 'Critical', value: critical },
    { key: 'baseline', label: 'Baseline', value: baseline },
  ].filter((r) => Number.isFinite(r.value));

  // Y: every value and every reference level, padded.
  const ys = [...points.map((p) => p.value), ...references.map((r) => r.value)];
  let yMin = Math.min(...ys);
  let yMax = Math.max(...ys);
  if (yMin === yMax) {
    yMin -= Math.abs(yMin) * 0.1 || 1;
    yMax += Math.abs(yMax) * 0.1 || 1;
  }
  const pad = (yMax - yMin) * 0.08;
  const step = niceStep(yMax - yMin + 2 * pad, 5);
  const floor = Math.min(...ys);
  yMin = Math.floor((yMin - pad) / step) * step;
  yMax = Math.ceil((yMax + pad) / step) * step;
  // Counts, rates and durations do not go below zero: neither does the axis.
  if (floor >= 0 && yMin < 0) yMin = 0;
  const y = (v) => margin.top + plotH - ((v - yMin) / (yMax - yMin)) * plotH;

  // X: the measurement periods (a lone point sits in the middle).
  const xs = points.map((p) => dayValue(p.period));
  let xMin = Math.min(...xs);
  let xMax = Math.max(...xs);
  if (!points.length) {
    xMin = 0;
    xMax = 1;
  } else if (xMin === xMax) {
    xMin -= 15 * 86400000;
    xMax += 15 * 86400000;
  }
  const inset = plotW * 0.03;
  const x = (t) => margin.left + inset + ((t - xMin) / (xMax - xMin)) * (plotW - 2 * inset);

  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const root = svg('svg', {
    class: 'chart', width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`,
    role: 'img', 'aria-labelledby': `${titleId} ${descId}`,
  },
  svg('title', { id: titleId }, title ?? 'Measurements'),
  svg('desc', { id: descId }, description ?? ''));

  // Zones: good, warning and critical, from the thresholds and the direction.
  if (Number.isFinite(warning) && Number.isFinite(critical)) {
    const higher = direction === 'HIGHER_IS_BETTER';
    const clampY = (v) => Math.max(margin.top, Math.min(margin.top + plotH, y(v)));
    const top = margin.top;
    const bottom = margin.top + plotH;
    const zones = higher
      ? [['good', top, clampY(warning)], ['warn', clampY(warning), clampY(critical)], ['bad', clampY(critical), bottom]]
      : [['bad', top, clampY(critical)], ['warn', clampY(critical), clampY(warning)], ['good', clampY(warning), bottom]];
    const group = svg('g', { class: 'chart-zones', 'aria-hidden': 'true' });
    for (const [kind, from, to] of zones) {
      if (to - from > 0) group.append(svg('rect', { class: `chart-zone chart-zone-${kind}`, x: margin.left, y: from, width: plotW, height: to - from }));
    }
    root.append(group);
  }

  // Grid and Y axis.
  const grid = svg('g', { class: 'chart-grid', 'aria-hidden': 'true' });
  for (let v = yMin; v <= yMax + step / 2; v += step) {
    const value = Math.round(v / step) * step;
    grid.append(
      svg('line', { x1: margin.left, x2: margin.left + plotW, y1: y(value), y2: y(value) }),
      svg('text', { class: 'chart-tick', x: margin.left - 8, y: y(value), 'text-anchor': 'end', 'dominant-baseline': 'middle' },
        formatValue(Number(value.toPrecision(12)))));
  }
  root.append(grid);

  // X axis: at most one label per ~90px.
  const axis = svg('g', { class: 'chart-axis', 'aria-hidden': 'true' },
    svg('line', { x1: margin.left, x2: margin.left + plotW, y1: margin.top + plotH, y2: margin.top + plotH }));
  const maxLabels = Math.max(2, Math.floor(plotW / 90));
  const every = Math.max(1, Math.ceil(points.length / maxLabels));
  points.forEach((p, i) => {
    if (i % every !== 0 && i !== points.length - 1) return;
    if (i !== points.length - 1 && points.length - 1 - i < every / 2 && i % every === 0 && i !== 0) return;
    axis.append(svg('text', { class: 'chart-tick', x: x(dayValue(p.period)), y: margin.top + plotH + 20, 'text-anchor': 'middle' },
      formatPeriod(p.period)));
  });
  root.append(axis);

  // Reference lines with their labels on the right.
  const refs = svg('g', { class: 'chart-refs' });
  const labels = spread(references.map((r) => ({ ...r, y: y(r.value) })), 13, margin.top + 4, margin.top + plotH);
  for (const r of references) {
    refs.append(svg('line', {
      class: `chart-ref chart-ref-${r.key}`, 'data-line': r.key, 'data-value': r.value,
      x1: margin.left, x2: margin.left + plotW, y1: y(r.value), y2: y(r.value),
    }, svg('title', {}, `${r.label}: ${formatValue(r.value)}`)));
  }
  for (const label of labels) {
    refs.append(svg('text', {
      class: `chart-ref-label chart-ref-label-${label.key}`, x: margin.left + plotW + 8, y: label.y,
      'dominant-baseline': 'middle',
    }, narrow ? label.label : `${label.label} ${formatValue(label.value)}`));
  }
  root.append(refs);

  // The series.
  const series = svg('g', { class: 'chart-series-group' });
  if (points.length > 1) {
    series.append(svg('polyline', {
      class: 'chart-series', fill: 'none',
      points: points.map((p) => `${x(dayValue(p.period)).toFixed(1)},${y(p.value).toFixed(1)}`).join(' '),
    }));
  }
  points.forEach((p, i) => {
    const last = i === points.length - 1;
    series.append(svg('circle', {
      class: `chart-point${last ? ' chart-point-latest' : ''}`,
      cx: x(dayValue(p.period)).toFixed(1), cy: y(p.value).toFixed(1), r: last ? 5 : 3.5,
      'data-period': p.period, 'data-value': p.value,
    }, svg('title', {}, `${formatPeriod(p.period)}: ${formatValue(p.value)}`)));
  });
  if (!points.length) {
    series.append(svg('text', { class: 'chart-empty', x: margin.left + plotW / 2, y: margin.top + plotH / 2, 'text-anchor': 'middle' },
      'No measurements yet'));
  }
  root.append(series);
  return root;
}

/** A tiny trend line for lists (decorative: the numbers are next to it). */
export function sparkline(values, { width = 96, height = 28 } = {}) {
  const root = svg('svg', { class: 'sparkline', width, height, viewBox: `0 0 ${width} ${height}`, 'aria-hidden': 'true', focusable: 'false' });
  if (values.length < 2) return root;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const px = (i) => 2 + (i / (values.length - 1)) * (width - 4);
  const py = (v) => height - 3 - ((v - min) / span) * (height - 6);
  root.append(svg('polyline', { class: 'sparkline-line', fill: 'none', points: values.map((v, i) => `${px(i).toFixed(1)},${py(v).toFixed(1)}`).join(' ') }));
  root.append(svg('circle', { class: 'sparkline-dot', cx: px(values.length - 1), cy: py(values[values.length - 1]), r: 2.5 }));
  return root;
}
