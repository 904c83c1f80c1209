/** The HTML report's inline stylesheet and script: no external resources, so the page opens from file://. */

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
svg.timeline { display: block; width: 100%; height: auto; font: 11px system-ui, sans-serif; }
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

/** Expand/collapse all, "failed only", and opening a scenario when its summary row's link is followed. */
export const REPORT_SCRIPT = `
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
  const openTarget = () => {
    const target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (target && target.tagName === 'DETAILS') target.open = true;
  };
  window.addEventListener('hashchange', openTarget);
  openTarget();
})();
`;
