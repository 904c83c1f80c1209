/** The HTML report's inline stylesheet and script: no external resources, so the page opens from file://. */
import { MAX_TICKS, TICK_STEPS_MS } from './timeline-frame.ts';

export const REPORT_CSS = `
:root { --pass: #1e7f45; --fail: #c0392b; --ink: #1f2328; --muted: #656d76; --line: #d0d7de; --band: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
.page { max-width: 1120px; margin: 0 auto; padding: 20px 16px 48px; }
h1 { font-size: 20px; margin: 0 0 2px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
h4 { font-size: 14px; margin: 14px 0 4px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.muted { color: var(--muted); }
.nowrap { white-space: nowrap; }
.scroll { overflow-x: auto; }
.totals { margin: 6px 0 12px; font-size: 15px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; color: #fff; }
.badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); }
.badge.none { background: #6b7280; }
.status-pass { color: var(--pass); font-weight: 600; white-space: nowrap; }
.status-fail { color: var(--fail); font-weight: 600; white-space: nowrap; }
.toolbar { display: flex; gap: 8px; align-items: center; margin: 10px 0; }
.toolbar button { font: inherit; padding: 2px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--band); cursor: pointer; }
table { border-collapse: collapse; }
table.grid { width: 100%; margin: 4px 0 8px; }
table.grid th, table.grid td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
table.grid th { background: var(--band); font-weight: 600; white-space: nowrap; }
table.grid td.num { text-align: right; white-space: nowrap; }
table.grid a { color: inherit; }
details.scenario { border: 1px solid var(--line); border-left: 5px solid var(--pass); border-radius: 6px; margin: 10px 0; }
details.scenario[data-status="failed"] { border-left-color: var(--fail); }
details.scenario > summary { padding: 8px 12px; cursor: pointer; font-weight: 600; }
details.scenario > summary .cites, details.scenario > summary .duration { font-weight: 400; color: var(--muted); margin-left: 8px; }
details.scenario > .body { padding: 0 14px 12px; border-top: 1px solid var(--line); }
.failure { border: 1px solid #f1c4bf; background: #fff6f5; border-radius: 6px; padding: 8px 10px; margin: 8px 0; }
.failure .path { font-weight: 600; }
.failure table th { text-align: left; padding: 2px 10px 2px 0; color: var(--muted); font-weight: 600; vertical-align: top; }
.failure pre { margin: 0; white-space: pre-wrap; word-break: break-word; }
pre.diff { background: #fff; border: 1px solid var(--line); border-radius: 4px; padding: 6px 8px; margin-top: 6px; }
.diff .removed { color: var(--fail); } .diff .added { color: var(--pass); } .diff .folded { color: var(--muted); }
.call { margin: 8px 0 16px; }
.call-facts { margin: 0 0 4px; color: var(--muted); }
.timeline-box { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
svg.timeline, svg.scenario-timeline { display: block; width: 100%; height: auto; font: 11px system-ui, sans-serif; }
.timeline-box:focus-visible { outline: 2px solid #2f6fb7; outline-offset: 1px; }
.zoom { display: flex; gap: 6px; align-items: center; margin: 4px 0; font-size: 12px; }
.zoom button { font: inherit; min-width: 28px; padding: 1px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--band); cursor: pointer; }
.zoom button:disabled { cursor: default; opacity: 0.5; }
.zoom .zoom-level { min-width: 40px; text-align: center; font-variant-numeric: tabular-nums; }
svg .label-back { fill: #fff; } svg .label-band { fill: var(--band); }
svg .lane-band { fill: var(--band); }
svg .lane-label { fill: var(--muted); }
svg .axis { stroke: #8c959f; } svg .grid { stroke: #e4e8ec; } svg .tick { fill: var(--muted); text-anchor: middle; }
svg .bar-label { fill: #1f2328; pointer-events: none; }
svg .hit { fill: transparent; }
svg .phase-setup rect { fill: #e3e6ea; } svg .phase-connected rect { fill: #9fd8b4; } svg .phase-held rect { fill: #f6d776; }
svg .state-pending rect { fill: #fbe7a1; } svg .state-started rect { fill: #f19a94; } svg .state-paused rect { fill: #f7bd7e; }
svg .state-stopped rect { fill: #cfd4da; } svg .state-failed rect { fill: #8e3b63; } svg .state-failed .bar-label { fill: #fff; }
svg .stream-user rect { fill: #5aa6dc; } svg .stream-remote rect { fill: #a785d9; }
svg .stream-user .bar-label, svg .stream-remote .bar-label { fill: #fff; }
svg .pause-gap line { stroke: #8c959f; stroke-width: 1.5; stroke-dasharray: 3 3; }
svg .marker-announcement path { fill: #0f7b6c; stroke: #0f7b6c; stroke-width: 1.5; }
svg .marker-announcement.sound-beep path { fill: #fff; }
svg .marker-tone circle { fill: #2f6fb7; }
svg .marker-rejected path { stroke: var(--fail); stroke-width: 2.2; fill: none; }
svg .marker-label { fill: var(--ink); }
svg .marker:hover path, svg .marker:hover circle { stroke-width: 3; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; color: var(--muted); font-size: 12px; margin: 8px 0; }
.legend svg { vertical-align: -3px; margin-right: 4px; }
ol.events { margin: 4px 0; padding-left: 0; list-style: none; columns: 2; column-gap: 24px; }
ol.events li { break-inside: avoid; }
ol.events time { color: var(--muted); margin-right: 8px; }
ol.events li.ev-rejected { color: #9a6700; }
details.more > summary { cursor: pointer; color: var(--muted); margin: 6px 0; }
body.failed-only [data-status="passed"] { display: none; }
@media print { details.scenario > .body { display: block; } .toolbar { display: none; } }
`;

/**
 * Zooming a timeline: shapes on the time axis keep their size and move apart (x' = left + (x - left) · z),
 * the viewBox and the drawn width grow by the same amount (so the height stays), the ticks are redrawn
 * for the visible span with the steps the server uses, and the lane labels follow the horizontal scroll.
 */
const ZOOM_SCRIPT = `
const ZOOM_LEVELS = [1, 2, 4, 8, 16, 32, 64, 128, 256];
const TICK_STEPS_MS = ${JSON.stringify(TICK_STEPS_MS)};
const MAX_TICKS = ${MAX_TICKS};
const pad = (value, width) => String(value).padStart(width, '0');
const clock = (ms) => {
  const total = Math.round(ms);
  return pad(Math.floor(total / 60000), 2) + ':' + pad(Math.floor((total % 60000) / 1000), 2) + '.' + pad(total % 1000, 3);
};
const tickStep = (spanMs) => TICK_STEPS_MS.find((s) => spanMs / s <= MAX_TICKS) || 10 ** Math.ceil(Math.log10(spanMs / MAX_TICKS));
const SVG_NS = 'http://www.w3.org/2000/svg';
function zoomTimelines() {
  for (const box of document.querySelectorAll('.zoomable')) {
    const view = box.querySelector('.timeline-box');
    const svg = view.querySelector('svg');
    const level = box.querySelector('.zoom-level');
    const left = Number(svg.dataset.plotLeft);
    const right = Number(svg.dataset.plotRight);
    const spanMs = Number(svg.dataset.spanMs);
    const axisY = Number(svg.dataset.axisY);
    const width = svg.viewBox.baseVal.width;
    const height = svg.viewBox.baseVal.height;
    const ticks = svg.querySelector('.ticks');
    const labels = svg.querySelector('.lane-labels');
    // Every shape's unzoomed x; a marker's inner shapes are drawn around its translated origin and stay.
    const shapes = [];
    for (const el of svg.querySelectorAll('.plot *')) {
      const moved = el.closest('[transform]');
      if (moved && moved !== el) continue;
      const entry = { el, xs: {} };
      for (const name of ['x', 'x1', 'x2', 'cx']) if (el.hasAttribute(name)) entry.xs[name] = Number(el.getAttribute(name));
      if (el.hasAttribute('data-w')) entry.w = Number(el.getAttribute('data-w'));
      if (el.hasAttribute('transform')) entry.tx = Number(/translate\\(([-\\d.]+)/.exec(el.getAttribute('transform'))[1]);
      shapes.push(entry);
    }
    let zoom = 1;
    const zoomedWidth = (z) => width + (right - left) * (z - 1);
    const followScroll = () => {
      const drawn = svg.getBoundingClientRect().width;
      labels.setAttribute('transform', 'translate(' + (view.scrollLeft * zoomedWidth(zoom)) / drawn + ' 0)');
    };
    const drawTicks = () => {
      const step = tickStep(spanMs / zoom);
      ticks.replaceChildren();
      for (let t = 0; t <= spanMs; t += step) {
        const x = String(Number((left + (t / spanMs) * (right - left) * zoom).toFixed(1)));
        const grid = document.createElementNS(SVG_NS, 'line');
        grid.setAttribute('class', 'grid');
        for (const [k, v] of [['x1', x], ['x2', x], ['y1', '4'], ['y2', String(axisY + 4)]]) grid.setAttribute(k, v);
        const label = document.createElementNS(SVG_NS, 'text');
        label.setAttribute('class', 'tick');
        label.setAttribute('x', x);
        label.setAttribute('y', String(axisY + 16));
        label.textContent = step % 1000 === 0 ? clock(t).slice(0, -4) : clock(t);
        ticks.append(grid, label);
      }
    };
    const apply = (z, anchorPx) => {
      const before = svg.getBoundingClientRect().width;
      const at = ((view.scrollLeft + anchorPx) * zoomedWidth(zoom)) / before;
      // A timeline in a closed section has no size yet: zoom it from its start.
      const fraction = before > 0 ? (at - left) / ((right - left) * zoom) : 0;
      zoom = z;
      const stretch = (x) => Number((left + (x - left) * z).toFixed(1));
      for (const s of shapes) {
        for (const [name, x] of Object.entries(s.xs)) s.el.setAttribute(name, String(stretch(x)));
        if (s.w !== undefined) s.el.setAttribute('width', String(Math.max(Number((s.w * z).toFixed(1)), 2)));
        if (s.tx !== undefined) s.el.setAttribute('transform', 'translate(' + stretch(s.tx) + ' 0)');
      }
      // A bar's label stays at the bar's start and shows once the bar is wide enough for it.
      for (const text of svg.querySelectorAll('.bar-label')) {
        const bar = text.previousElementSibling;
        text.setAttribute('x', String(Number((Number(bar.getAttribute('x')) + 4).toFixed(1))));
        if (Number(text.dataset.need) < Number(bar.getAttribute('width'))) text.removeAttribute('visibility');
        else text.setAttribute('visibility', 'hidden');
      }
      // The width attribute too: Chromium takes the drawn aspect ratio from it, and the height must stay.
      svg.setAttribute('viewBox', '0 0 ' + zoomedWidth(z) + ' ' + height);
      svg.setAttribute('width', String(zoomedWidth(z)));
      svg.style.width = (zoomedWidth(z) / width) * 100 + '%';
      drawTicks();
      const after = svg.getBoundingClientRect().width;
      if (after > 0) view.scrollLeft = ((left + fraction * (right - left) * z) * after) / zoomedWidth(z) - anchorPx;
      level.textContent = z + '×';
      box.querySelector('[data-zoom="out"]').disabled = z === ZOOM_LEVELS[0];
      box.querySelector('[data-zoom="in"]').disabled = z === ZOOM_LEVELS[ZOOM_LEVELS.length - 1];
      followScroll();
    };
    const step = (direction, anchorPx = view.clientWidth / 2) => {
      const i = ZOOM_LEVELS.indexOf(zoom) + direction;
      if (i >= 0 && i < ZOOM_LEVELS.length) apply(ZOOM_LEVELS[i], anchorPx);
    };
    box.querySelector('[data-zoom="in"]').addEventListener('click', () => step(1));
    box.querySelector('[data-zoom="out"]').addEventListener('click', () => step(-1));
    box.querySelector('[data-zoom="fit"]').addEventListener('click', () => apply(1, 0));
    box.querySelector('[data-zoom="out"]').disabled = true;
    view.addEventListener('scroll', followScroll);
    view.addEventListener('keydown', (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '+' || e.key === '=') step(1);
      else if (e.key === '-' || e.key === '_') step(-1);
      else if (e.key === '0') apply(1, 0);
      else return;
      e.preventDefault();
    });
    // Ctrl (or ⌘) + wheel zooms around the pointer; the plain wheel still scrolls the page.
    view.addEventListener('wheel', (e) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      step(e.deltaY < 0 ? 1 : -1, e.clientX - view.getBoundingClientRect().left);
    }, { passive: false });
  }
}
`;

/** Expand/collapse all, "failed only", zoomable timelines, and opening a scenario when its summary row's link is followed. */
export const REPORT_SCRIPT = `
${ZOOM_SCRIPT}
(() => {
  const scenarios = () => document.querySelectorAll('details.scenario');
  for (const button of document.querySelectorAll('button[data-action]')) {
    button.addEventListener('click', () => {
      for (const details of scenarios()) details.open = button.dataset.action === 'expand';
    });
  }
  const failedOnly = document.getElementById('failed-only');
  if (failedOnly) failedOnly.addEventListener('change', () => document.body.classList.toggle('failed-only', failedOnly.checked));
  // Each call's event list narrows to the events whose text contains what is typed (any case).
  for (const input of document.querySelectorAll('input[data-filter-events]')) {
    input.addEventListener('input', () => {
      const needle = input.value.trim().toLowerCase();
      const list = input.closest('details').querySelector('ol.events');
      for (const item of list.children) item.hidden = needle !== '' && !item.textContent.toLowerCase().includes(needle);
    });
  }
  zoomTimelines();
  const openTarget = () => {
    const target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (target && target.tagName === 'DETAILS') target.open = true;
  };
  window.addEventListener('hashchange', openTarget);
  openTarget();
})();
`;
