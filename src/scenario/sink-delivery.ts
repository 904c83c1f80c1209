/**
 * Sends a scenario's recordings to a real sink over WebSockets and checks what it stored: every kept
 * recording is opened with the user's dub.point, its RTP packets and pause/resume, announcement and tone
 * messages are sent, and the sink's checkpoint must cover them. On the embedded sink, whose clock the
 * runner moves, access and retention expectations are also asked of the sink's portal at their times.
 */
import { createHash } from 'node:crypto';
import { type ControlHubState, platformInfo } from '../domain/index.ts';
import { isSimError } from '../errors.ts';
import type { MediaMarker } from '../media/index.ts';
import { createSinkClient, type SinkRecording } from '../platform/index.ts';
import type { SinkTarget } from '../platform/sink-target.ts';
import type { RecordingDelivery } from './build-report.ts';
import { captureCallMedia } from './capture-call-media.ts';
import { dubberOverrides } from './dubber-refusal.ts';
import type { ExecutedCall, ScenarioExecution } from './execute-scenario.ts';
import { callsWithAudioExpectations } from './expect/audio-calls.ts';
import { storedAudioOf } from './expect/stored-audio.ts';
import type { ExpectationFailure } from './report-types.ts';
import type { Scenario } from './schema.ts';

export interface SinkOutcome {
  readonly deliveries: ReadonlyMap<string, RecordingDelivery>;
  readonly failures: readonly ExpectationFailure[];
}

type Action =
  | { atMs: number; order: number; kind: 'user'; userId: string }
  | { atMs: number; order: number; kind: 'tier'; userId: string; tier: 'Go' | 'Standard' | 'AI' }
  | { atMs: number; order: number; kind: 'call'; call: ExecutedCall }
  | { atMs: number; order: number; kind: 'access'; index: number }
  | { atMs: number; order: number; kind: 'retention'; index: number };

export interface Namespace {
  (id: string): string;
  /** E-mails are tagged too: the sink allows one Dubber account per admin e-mail across all orgs (S17). */
  email(address: string): string;
  /** Recording ids as the sink spells them. */
  recording(id: string): string;
}

/** Scenario ids are prefixed per scenario so many scenarios share one sink without meeting. */
export function namespace(runId: string, file: string, scenario: Scenario, startMs: number): Namespace {
  const tag = createHash('sha256')
    .update(`${runId}\n${file}\n${scenario.name}\n${startMs}`)
    .digest('hex')
    .slice(0, 10);
  const ns = (id: string) => `${tag}-${id}`;
  ns.email = (address: string) => address.replace('@', `+${tag}@`);
  ns.recording = (id: string) => ns(id).replace(/#/g, '.');
  return ns;
}

interface Actor {
  readonly user?: string | undefined;
  readonly admin?: string | undefined;
  readonly org?: string | undefined;
}

export async function deliverToSink(
  target: SinkTarget,
  file: string,
  scenario: Scenario,
  execution: ScenarioExecution,
  seed: string,
): Promise<SinkOutcome> {
  const { hub } = execution;
  const { admin } = target;
  const ns = namespace(target.runId, file, scenario, target.clock.nowMs());
  const baseMs = target.clock.nowMs() + 1;
  const travels = target.travelTo !== undefined;
  const deliveries = new Map<string, RecordingDelivery>();
  const failures: ExpectationFailure[] = [];
  const ownerOf = new Map<string, string>();
  const audioCalls = callsWithAudioExpectations(scenario);
  const client = createSinkClient({
    url: target.streamUrl,
    keyId: target.keyId,
    secret: target.secret,
    clock: target.clock,
  });
  const sinkFailure = (expectation: string, expected: string, error: unknown) => {
    if (!isSimError(error)) throw error;
    failures.push({ expectation, expected, actual: error.code, message: error.message });
  };

  for (const org of scenario.orgs)
    await admin.upsertOrg({ orgId: ns(org.id), customerName: org.customerName });

  for (const action of plan(scenario, execution, travels)) {
    target.travelTo?.(baseMs + action.atMs);
    try {
      if (action.kind === 'user') await provisionUser(action.userId, action.atMs);
      else if (action.kind === 'tier') await switchTier(action.userId, action.tier, action.atMs);
      else if (action.kind === 'call') await deliverCall(action.call);
      else if (action.kind === 'access') await checkAccess(action.index);
      else await checkRetention(action.index);
    } catch (error) {
      sinkFailure(`sink.${action.kind}`, 'the sink accepts it', error);
    }
  }
  return { deliveries, failures };

  async function provisionUser(userId: string, atMs: number): Promise<void> {
    await provisionSinkUser(admin, ns, hub, userId, atMs, travels ? baseMs : undefined, scenario);
  }

  async function switchTier(userId: string, tier: 'Go' | 'Standard' | 'AI', atMs: number): Promise<void> {
    await admin.switchTier({ userId: ns(userId), tier, ...(travels ? { atMs: baseMs + atMs } : {}) });
  }

  async function deliverCall(call: ExecutedCall): Promise<void> {
    const user = hub.users[call.spec.user];
    if (user === undefined) return;
    const captured = captureCallMedia(call.spec, call.run.log, seed);
    if (captured.error !== undefined) {
      failures.push({
        expectation: `calls.${call.spec.id}.media`,
        expected: 'the media of every recording',
        actual: captured.error,
        message: 'The call’s media could not be generated',
      });
    }
    for (const recording of captured.recordings) {
      ownerOf.set(recording.id, call.spec.user);
      target.travelTo?.(baseMs + recording.openedAtMs);
      // Positions count from the recording's open; capture times count from the call's first event.
      const openedAt = recording.openedAtMs - captured.originMs;
      const position = (atMs: number) => Math.max(0, atMs - openedAt);
      let rec: SinkRecording;
      try {
        rec = await client.openRecording({
          recordingId: ns.recording(recording.id),
          orgId: ns(user.orgId),
          userId: ns(user.id),
          dubPoint: sinkDubPoint(hub, ns, user.id, recording.openedAtMs),
          direction: call.spec.direction === 'incoming' ? 'inbound' : 'outbound',
          remote: { type: call.spec.remote },
          format: call.spec.codec,
          ssrcs: { user: recording.identities.user.ssrc, remote: recording.identities.remote.ssrc },
        });
      } catch (error) {
        // S33: Dubber refusing the recording is the call's outcome, for its expectations to judge.
        if (isSimError(error) && error.code === 'SIM_ERR_DUBPOINT_MISMATCH') {
          const mismatches = (error.details.mismatches ?? []) as readonly { field: string }[];
          deliveries.set(recording.id, {
            refused: { code: error.code, message: error.message, fields: mismatches.map((m) => m.field) },
          });
        } else {
          sinkFailure(`sink.${recording.id}`, 'the sink stores the recording', error);
        }
        continue;
      }
      try {
        // Interleave packets and control messages in media-time order, as a live platform would.
        const controls = controlMessages(call, recording.markers, captured.originMs);
        let next = 0;
        let lastMs = 0;
        for (const packet of recording.packets) {
          while (next < controls.length && (controls[next]?.atMs ?? 0) <= packet.atMs)
            controls[next++]?.send(rec, position);
          rec.sendPacket(packet.bytes);
          lastMs = Math.max(lastMs, packet.atMs);
        }
        while (next < controls.length) controls[next++]?.send(rec, position);
        const checkpoint = await rec.drain();
        const closedAt = recording.markers.find((m) => m.type === 'closed')?.atMs ?? lastMs;
        await rec.close(position(closedAt), 'end');
        const sent = recording.packets.length;
        // What the sink itself counted per stream (packets stored, gaps in the sequence = lost).
        const token = await admin.issueToken({ orgId: ns(user.orgId), userId: ns(user.id) });
        const streams = await admin.streams(token, ns.recording(recording.id));
        const stream = (role: 'user' | 'remote') => streams.find((s) => s.role === role);
        const wav = audioCalls.has(call.spec.id)
          ? await target.download(token, ns.recording(recording.id))
          : undefined;
        deliveries.set(recording.id, {
          packetsPerStream: [stream('user')?.packets ?? 0, stream('remote')?.packets ?? 0],
          lostPerStream: [stream('user')?.lost ?? 0, stream('remote')?.lost ?? 0],
          stored: checkpoint.packetsStored >= sent,
          rtp: streams.map((s) => ({
            role: s.role,
            ssrc: s.ssrc,
            packets: s.packets,
            duplicates: s.duplicates,
            lost: s.lost,
            expected: s.firstExtSeq === null || s.lastExtSeq === null ? 0 : s.lastExtSeq - s.firstExtSeq + 1,
          })),
          ...(wav === undefined ? {} : { audio: storedAudioOf(wav, recording.openedAtMs) }),
          sinkRecordingId: ns.recording(recording.id),
        });
        if (checkpoint.packetsStored < sent) {
          failures.push({
            expectation: `sink.${recording.id}`,
            expected: `${sent} packets stored`,
            actual: `${checkpoint.packetsStored} packets stored`,
            message: 'The sink did not acknowledge every packet of the recording',
          });
        }
      } catch (error) {
        sinkFailure(`sink.${recording.id}`, 'the sink stores the recording', error);
      }
    }
  }

  async function tokenFor(actor: Actor, recordingOrg: string): Promise<string | undefined> {
    const orgId = ns(actor.org ?? (actor.user ? hub.users[actor.user]?.orgId : undefined) ?? recordingOrg);
    try {
      if (actor.user !== undefined) return await admin.issueToken({ orgId, userId: ns(actor.user) });
      if (actor.admin !== undefined)
        return await admin.issueToken({ orgId, adminEmail: ns.email(actor.admin) });
    } catch (error) {
      if (!isSimError(error)) throw error;
    }
    return undefined;
  }

  async function visibleTo(actor: Actor, recordingId: string): Promise<boolean> {
    const owner = hub.users[ownerOf.get(recordingId) ?? ''];
    const token = await tokenFor(actor, owner?.orgId ?? '');
    if (token === undefined) return false;
    try {
      return (await admin.list(token)).some((r) => r.recordingId === ns.recording(recordingId));
    } catch (error) {
      if (!isSimError(error)) throw error;
      return false;
    }
  }

  async function checkAccess(index: number): Promise<void> {
    const wanted = scenario.expect.access?.[index];
    if (wanted === undefined || !deliveries.has(wanted.recording)) return;
    await admin.sweep();
    const allowed = await visibleTo(wanted.actor, wanted.recording);
    if (allowed !== wanted.allowed) {
      failures.push({
        expectation: `expect.access[${index}] (sink portal)`,
        expected: wanted.allowed,
        actual: allowed,
        message: `The sink's portal ${allowed ? 'lists' : 'does not list'} ${wanted.recording} for ${JSON.stringify(wanted.actor)}`,
      });
    }
  }

  async function checkRetention(index: number): Promise<void> {
    const wanted = scenario.expect.retention?.[index];
    if (wanted === undefined || !deliveries.has(wanted.recording)) return;
    await admin.sweep();
    const retained = await visibleTo({ user: ownerOf.get(wanted.recording) }, wanted.recording);
    const state = retained ? 'retained' : 'deleted';
    if (state !== wanted.state) {
      failures.push({
        expectation: `expect.retention[${index}] (sink)`,
        expected: wanted.state,
        actual: state,
        message: `What the sink holds of ${wanted.recording} after its retention sweep`,
      });
    }
  }
}

/**
 * Everything the sink learns or is asked, in time order (file order at the same instant). Access and
 * retention questions are asked only of a sink whose clock can be moved to their time.
 */
function plan(scenario: Scenario, execution: ScenarioExecution, travels: boolean): Action[] {
  const actions: Action[] = [];
  let order = 0;
  for (const [userId, history] of Object.entries(execution.hub.subscriptions)) {
    history.forEach((period, i) => {
      actions.push(
        i === 0
          ? { atMs: period.fromMs, order: order++, kind: 'user', userId }
          : { atMs: period.fromMs, order: order++, kind: 'tier', userId, tier: period.tier },
      );
    });
  }
  for (const call of execution.calls)
    actions.push({ atMs: call.startedAtMs, order: order++, kind: 'call', call });
  if (travels) {
    for (const [index, a] of (scenario.expect.access ?? []).entries()) {
      actions.push({ atMs: a.at ?? execution.endMs, order: order++, kind: 'access', index });
    }
    for (const [index, r] of (scenario.expect.retention ?? []).entries()) {
      actions.push({ atMs: r.at, order: order++, kind: 'retention', index });
    }
  }
  return actions.sort((a, b) => a.atMs - b.atMs || a.order - b.order);
}

/**
 * Tells the sink about a user as Webex shares it (S18: profile; plus the account and its admins, and the
 * dub.point Control Hub shows, S33). `baseMs` maps scenario time to sink time when the sink's clock can
 * travel; without it the sink stamps its own now.
 */
export async function provisionSinkUser(
  admin: SinkTarget['admin'],
  ns: Namespace,
  hub: ControlHubState,
  userId: string,
  atMs: number,
  baseMs: number | undefined,
  scenario?: Scenario,
): Promise<void> {
  const user = hub.users[userId];
  const first = hub.subscriptions[userId]?.[0];
  if (user === undefined || first === undefined) return;
  const account = hub.dubberAccounts[user.orgId];
  if (account !== undefined) {
    await admin.upsertAccount({
      orgId: ns(user.orgId),
      termsAcceptedBy: ns.email(account.termsAcceptedBy),
      adminEmails: account.adminEmails.map(ns.email),
      ...(baseMs === undefined ? {} : { createdAtMs: baseMs + account.createdAtMs }),
    });
  }
  const { timeZone, firstName, lastName, email } = user;
  await admin.upsertUser({
    orgId: ns(user.orgId),
    userId: ns(user.id),
    profile: { timeZone, firstName, lastName, email: ns.email(email) },
    dubPoint: dubberSideOf(sinkDubPoint(hub, ns, userId, atMs), ns, scenario, userId),
    tier: first.tier,
  });
}

/** The dub.point as Control Hub shows it at that time, with the sink-side ids. */
export function sinkDubPoint(hub: ControlHubState, ns: Namespace, userId: string, atMs: number) {
  const info = platformInfo(hub, userId, atMs);
  return { ...info, externalGroup: ns(info.externalGroup), externalIdentifier: ns(info.externalIdentifier) };
}

/** The user's dub.point in Dubber: Control Hub's, except where the scenario says Dubber differs (S33). */
function dubberSideOf(
  controlHub: ReturnType<typeof sinkDubPoint>,
  ns: Namespace,
  scenario: Scenario | undefined,
  userId: string,
): ReturnType<typeof sinkDubPoint> {
  if (scenario === undefined) return controlHub;
  const given = dubberOverrides(scenario, userId);
  return {
    ...controlHub,
    ...given,
    ...(given.externalGroup === undefined ? {} : { externalGroup: ns(given.externalGroup) }),
    ...(given.externalIdentifier === undefined ? {} : { externalIdentifier: ns(given.externalIdentifier) }),
  };
}

interface Control {
  readonly atMs: number;
  send(rec: SinkRecording, position: (atMs: number) => number): void;
}

/** Pause/resume from the media markers, announcements and tones from the call log, in capture time. */
function controlMessages(
  call: ExecutedCall,
  markers: readonly MediaMarker[],
  callOriginMs: number,
): Control[] {
  const out: Control[] = [];
  for (const m of markers) {
    if (m.type === 'paused') out.push({ atMs: m.atMs, send: (rec, pos) => rec.paused(pos(m.atMs)) });
    if (m.type === 'resumed') out.push({ atMs: m.atMs, send: (rec, pos) => rec.resumed(pos(m.atMs)) });
  }
  const openedAt = markers.find((m) => m.type === 'opened')?.atMs ?? 0;
  const closedAt = markers.find((m) => m.type === 'closed')?.atMs ?? Number.POSITIVE_INFINITY;
  for (const e of call.run.log) {
    const atMs = e.atMs - callOriginMs;
    if (atMs < openedAt || atMs > closedAt) continue;
    if (e.type === 'announcement' && e.reportedToDubber && e.kind !== 'failure') {
      const kind = e.kind;
      out.push({ atMs, send: (rec, pos) => rec.announcement(kind, pos(atMs), e.sound) });
    }
    if (e.type === 'tone') out.push({ atMs, send: (rec, pos) => rec.tone(e.index, pos(atMs)) });
  }
  return out.sort((a, b) => a.atMs - b.atMs);
}
