/**
 * One recording: its facts, a two-lane waveform (user above, remote party below) with the pause gaps,
 * announcement notices (S26) and tones as markers, a player over the sink's WAV, RTP statistics per
 * stream and a download. The waveform and the player are wired by portal.js; without script the page
 * still lists every marker and offers the WAV.
 */
import type { RecordingMetadata } from '../../protocol/portal-api.ts';
import { formatDate, formatDuration, retentionText } from './format.ts';
import { esc, layout } from './html.ts';
import { participants } from './list-page.ts';

export interface RecordingPageInput {
  readonly who: string;
  readonly isAdmin: boolean;
  readonly nowMs: number;
  readonly recording: RecordingMetadata;
}

interface Marker {
  readonly kind: 'pause' | 'announcement' | 'tone' | 'error';
  readonly startMs: number;
  readonly endMs: number | null;
  readonly label: string;
}

/** Markers on the WAV's timeline: the call positions minus where the recording opened (its first segment). */
export function markersOf(r: RecordingMetadata): Marker[] {
  const openMs = r.segments[0]?.startMs ?? 0;
  const at = (ms: number) => Math.max(0, ms - openMs);
  const raw: Marker[] = [
    ...r.pauses.map((p) => ({
      kind: 'pause' as const,
      startMs: p.startMs,
      endMs: p.endMs,
      label: `Paused ${formatDuration(at(p.startMs))}–${p.endMs === null ? 'now' : formatDuration(at(p.endMs))}`,
    })),
    ...r.announcements.map((a) => ({
      kind: 'announcement' as const,
      startMs: a.positionMs,
      endMs: null,
      label: `${a.kind} ${a.sound === 'beep' ? 'beep' : 'announcement'} played at ${formatDuration(at(a.positionMs))} (not in the audio, S25/S26)`,
    })),
    ...r.tones.map((t) => ({
      kind: 'tone' as const,
      startMs: t.positionMs,
      endMs: null,
      label: `Recording tone ${t.index} at ${formatDuration(at(t.positionMs))}`,
    })),
    ...r.clientErrors.map((e) => ({
      kind: 'error' as const,
      startMs: e.positionMs,
      endMs: null,
      label: `${e.code} at ${formatDuration(at(e.positionMs))}: ${e.message}`,
    })),
  ];
  return raw
    .map((m) => ({ ...m, startMs: at(m.startMs), endMs: m.endMs === null ? null : at(m.endMs) }))
    .sort((a, b) => a.startMs - b.startMs);
}

export function recordingPage(input: RecordingPageInput): string {
  const r = input.recording;
  const base = `/portal/recordings/${encodeURIComponent(r.recordingId)}`;
  const markers = markersOf(r);
  const markerItems = markers
    .map(
      (m) =>
        `<li><button type="button" class="marker marker-${m.kind}" data-kind="${m.kind}" data-start-ms="${m.startMs}"${
          m.endMs === null ? '' : ` data-end-ms="${m.endMs}"`
        }>${esc(m.label)}</button></li>`,
    )
    .join('\n');
  const streams = r.streams
    .map(
      (s) => `<tr><th scope="row">${esc(s.role === 'user' ? `user (${r.userId})` : 'remote party')}</th>
<td class="num">${esc(`0x${s.ssrc.toString(16).padStart(8, '0')}`)}</td><td class="num">${s.packets}</td>
<td class="num">${s.lost}</td><td class="num">${s.duplicates}</td><td class="num">${s.rejected}</td>
<td class="num">${s.firstExtSeq ?? '—'}–${s.lastExtSeq ?? '—'}</td></tr>`,
    )
    .join('\n');
  const body = `<p><a href="/portal/recordings">← All recordings</a></p>
<dl class="facts">
<dt>Participants</dt><dd>${esc(participants(r))}</dd>
<dt>Created</dt><dd>${esc(formatDate(r.createdAtMs))}</dd>
<dt>Duration</dt><dd id="duration" data-duration-ms="${r.durationMs}">${esc(formatDuration(r.durationMs))}</dd>
<dt>Owner tier</dt><dd>${esc(r.ownerTier)}</dd>
<dt>Retention</dt><dd>${esc(retentionText(r.deleteAtMs, input.nowMs))}</dd>
<dt>State</dt><dd>${esc(r.state)}${r.closeReason === null ? '' : ` (${esc(r.closeReason)})`}, ${r.interruptions} interruption${r.interruptions === 1 ? '' : 's'}</dd>
<dt>Format</dt><dd>${esc(r.format)}, 8 kHz, stereo WAV (left user, right remote)</dd>
</dl>
<section aria-labelledby="player-h">
<h2 id="player-h">Listen</h2>
<div class="player">
<audio id="audio" preload="metadata" src="${base}/audio.wav"></audio>
<button type="button" id="play" aria-controls="audio" disabled>Play</button>
<label for="seek">Position</label>
<input type="range" id="seek" min="0" max="${r.durationMs}" step="100" value="0" disabled>
<output id="time" for="seek">0:00 / ${esc(formatDuration(r.durationMs))}</output>
<a href="${base}/audio.wav?download=1" id="download" download="${esc(r.recordingId)}.wav">Download WAV</a>
</div>
<div class="wave" id="wave" data-peaks-url="${base}/peaks.json" data-duration-ms="${r.durationMs}">
<canvas id="wave-canvas" width="1000" height="160" role="img" aria-label="Waveform: the user on the upper lane, the remote party on the lower lane; shaded stretches are pauses"></canvas>
<div class="wave-markers" id="wave-markers" aria-hidden="true"></div>
<div class="cursor" id="cursor" aria-hidden="true"></div>
</div>
<p class="legend"><span class="key key-user">user</span> <span class="key key-remote">remote party</span>
<span class="key key-pause">pause</span> <span class="key key-announcement">announcement</span> <span class="key key-tone">tone</span></p>
</section>
<section aria-labelledby="markers-h">
<h2 id="markers-h">Events</h2>
${markers.length === 0 ? '<p>No pauses, announcements or tones.</p>' : `<ol id="markers">\n${markerItems}\n</ol>`}
</section>
<section aria-labelledby="rtp-h">
<h2 id="rtp-h">RTP streams</h2>
<table id="streams"><thead><tr><th scope="col">Stream</th><th scope="col">SSRC</th><th scope="col">Packets</th>
<th scope="col">Lost</th><th scope="col">Duplicates</th><th scope="col">Rejected</th><th scope="col">Sequence range</th></tr></thead>
<tbody>
${streams}
</tbody></table>
</section>`;
  return layout({ title: `Recording ${r.recordingId}`, body, signedInAs: input.who, isAdmin: input.isAdmin });
}
