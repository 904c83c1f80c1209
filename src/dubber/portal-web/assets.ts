/**
 * The portal's only script and style sheet, served from /portal/assets (the CSP allows 'self' and
 * nothing inline). The script wires the recording page: the waveform is drawn on a canvas from
 * peaks.json, markers are placed over it, and the player (the browser's audio element over the WAV) is
 * driven by a Play/Pause button and a position slider, both keyboard-usable.
 */

/** Lane colours; the Chromium tests read them back from the canvas. */
export const WAVE_COLOURS = { user: '#1f5fbf', remote: '#b8560f', pause: '#e4e4e4' } as const;

export const PORTAL_JS = `'use strict';
(function () {
  var COLOURS = ${JSON.stringify(WAVE_COLOURS)};
  function fmt(ms) {
    var s = Math.max(0, Math.round(ms / 1000));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = h > 0 ? String(m).padStart(2, '0') : String(m);
    return (h > 0 ? h + ':' : '') + mm + ':' + String(r).padStart(2, '0');
  }
  function setup() {
    var wave = document.getElementById('wave');
    var audio = document.getElementById('audio');
    if (!wave || !audio) return;
    var canvas = document.getElementById('wave-canvas');
    var layer = document.getElementById('wave-markers');
    var cursor = document.getElementById('cursor');
    var play = document.getElementById('play');
    var seek = document.getElementById('seek');
    var time = document.getElementById('time');
    var durationMs = Number(wave.dataset.durationMs) || 0;
    var markers = Array.prototype.slice.call(document.querySelectorAll('button.marker'));
    var pct = function (ms) { return durationMs > 0 ? Math.min(100, Math.max(0, (ms / durationMs) * 100)) : 0; };

    function drawPeaks(peaks) {
      var ctx = canvas.getContext('2d');
      var w = canvas.width, h = canvas.height, lane = h / 2;
      ctx.clearRect(0, 0, w, h);
      markers.forEach(function (m) {
        if (m.dataset.kind !== 'pause') return;
        var start = Number(m.dataset.startMs), end = m.dataset.endMs === undefined ? durationMs : Number(m.dataset.endMs);
        ctx.fillStyle = COLOURS.pause;
        ctx.fillRect(Math.floor((pct(start) / 100) * w), 0, Math.ceil(((pct(end) - pct(start)) / 100) * w), h);
      });
      [['user', 0], ['remote', lane]].forEach(function (l) {
        var values = peaks[l[0]], top = l[1], mid = top + lane / 2;
        ctx.fillStyle = COLOURS[l[0]];
        var n = values.length;
        for (var x = 0; x < w; x++) {
          var from = Math.floor((x / w) * n), to = Math.max(from + 1, Math.floor(((x + 1) / w) * n));
          var v = 0;
          for (var i = from; i < to && i < n; i++) if (values[i] > v) v = values[i];
          if (v <= 0) continue;
          var half = Math.max(1, v * (lane / 2 - 4));
          ctx.fillRect(x, Math.round(mid - half), 1, Math.round(2 * half));
        }
      });
      ctx.fillStyle = '#888';
      ctx.fillRect(0, lane, w, 1);
      wave.dataset.drawn = 'true';
      wave.dataset.buckets = String(peaks.user.length);
      wave.dataset.bucketMs = String(peaks.bucketMs);
    }

    markers.forEach(function (m) {
      var start = Number(m.dataset.startMs);
      var tick = document.createElement('span');
      tick.className = 'tick tick-' + m.dataset.kind;
      tick.style.left = pct(start) + '%';
      if (m.dataset.endMs !== undefined) tick.style.width = (pct(Number(m.dataset.endMs)) - pct(start)) + '%';
      tick.title = m.textContent;
      layer.appendChild(tick);
      m.addEventListener('click', function () {
        audio.currentTime = start / 1000;
        showTime();
      });
    });

    fetch(wave.dataset.peaksUrl, { credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error('peaks ' + r.status); return r.json(); })
      .then(drawPeaks)
      .catch(function (e) { wave.dataset.error = String(e && e.message || e); });

    function showTime() {
      var ms = audio.currentTime * 1000;
      seek.value = String(Math.round(ms));
      time.textContent = fmt(ms) + ' / ' + fmt(durationMs);
      cursor.style.left = pct(ms) + '%';
    }
    audio.addEventListener('loadedmetadata', function () {
      play.disabled = false;
      seek.disabled = false;
      wave.dataset.audioDurationMs = String(Math.round(audio.duration * 1000));
    });
    audio.addEventListener('timeupdate', showTime);
    audio.addEventListener('seeked', showTime);
    audio.addEventListener('play', function () { play.textContent = 'Pause'; });
    audio.addEventListener('pause', function () { play.textContent = 'Play'; });
    audio.addEventListener('ended', function () { play.textContent = 'Play'; });
    play.addEventListener('click', function () {
      if (audio.paused) audio.play().catch(function (e) { wave.dataset.error = String(e && e.message || e); });
      else audio.pause();
    });
    seek.addEventListener('input', function () {
      audio.currentTime = Number(seek.value) / 1000;
      showTime();
    });
    canvas.addEventListener('click', function (event) {
      var rect = canvas.getBoundingClientRect();
      audio.currentTime = ((event.clientX - rect.left) / rect.width) * (durationMs / 1000);
      showTime();
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setup);
  else setup();
})();
`;

export const PORTAL_CSS = `:root { color-scheme: light; --accent: #1f5fbf; --ink: #1b1f24; --muted: #59636e; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: var(--ink); background: #f6f7f9; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem; padding: .6rem 1.2rem; background: #14233a; color: #fff; }
header a { color: #cfe0ff; }
header nav { display: flex; align-items: center; gap: 1rem; flex-wrap: wrap; }
.brand { font-weight: 700; }
.brand small { font-weight: 400; opacity: .7; }
.who { opacity: .85; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.2rem 3rem; }
h1 { font-size: 1.5rem; margin: .6rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.4rem 0 .5rem; }
section > h2:first-child { margin-top: 0; }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
section, form.filters, .player { background: #fff; border: 1px solid #d8dde3; border-radius: 6px; padding: .8rem 1rem; margin: .8rem 0; }
form.inline { display: inline; }
label { margin-right: .3rem; font-weight: 600; }
input, select, button { font: inherit; padding: .25rem .5rem; margin: .2rem .6rem .2rem 0; }
button { background: var(--accent); color: #fff; border: 1px solid var(--accent); border-radius: 4px; cursor: pointer; }
button:disabled { opacity: .5; cursor: default; }
header button { background: transparent; border-color: #cfe0ff; color: #fff; }
:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; background: #fff; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e3e6ea; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
thead th { background: #eef1f5; }
.error { color: #a3120b; font-weight: 600; }
.notice { color: #15602b; font-weight: 600; }
.hint, .rules { color: var(--muted); }
.pager { margin: .8rem 0; display: flex; gap: 1rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.player { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem; border: 0; padding: 0; }
#seek { flex: 1 1 16rem; }
.wave { position: relative; margin: .6rem 0; border: 1px solid #d8dde3; background: #fff; }
.wave canvas { display: block; width: 100%; height: 160px; cursor: pointer; }
.wave-markers { position: absolute; inset: 0; pointer-events: none; }
.tick { position: absolute; top: 0; bottom: 0; width: 2px; margin-left: -1px; }
.tick-pause { background: transparent; border-left: 2px dashed #777; border-right: 2px dashed #777; min-width: 2px; }
.tick-announcement { background: #7a2fbf; }
.tick-tone { background: #2f8f4f; opacity: .6; }
.tick-error { background: #a3120b; }
.cursor { position: absolute; top: 0; bottom: 0; width: 2px; background: #d10; left: 0; pointer-events: none; }
.legend .key { display: inline-block; padding: 0 .4rem; border-left: 1rem solid; margin-right: .6rem; }
.legend .key-user { border-color: ${WAVE_COLOURS.user}; } .legend .key-remote { border-color: ${WAVE_COLOURS.remote}; }
.legend .key-pause { border-color: #b9b9b9; } .legend .key-announcement { border-color: #7a2fbf; } .legend .key-tone { border-color: #2f8f4f; }
ol#markers { padding-left: 1.2rem; }
button.marker { background: #fff; color: var(--ink); border-color: #c5ccd4; text-align: left; }
button.marker-pause { border-left: 4px solid #777; } button.marker-announcement { border-left: 4px solid #7a2fbf; }
button.marker-tone { border-left: 4px solid #2f8f4f; } button.marker-error { border-left: 4px solid #a3120b; }
tr.loss td { color: #a3120b; font-weight: 600; }
code { background: #eef1f5; padding: 0 .25rem; border-radius: 3px; }
`;
