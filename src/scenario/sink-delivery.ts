/**
 * Sends a scenario's recordings to a real sink over WebSockets and checks what it stored: every kept
 * recording is opened with the user's dub.point, its RTP packets and pause/resume, announcement and tone
 * messages are sent, and the sink's checkpoint must cover them. Access and retention expectations are then
 * asked of the sink's portal at their virtual times, so the fake Dubber answers them, not the domain.
 */
import { createHash, randomUUID } from 'node:crypto';
import { type ControlHubState, platformInfo } from '../domain/index.ts';
import { isSimError } from '../errors.ts';
import type { MediaMarker } from '../media/index.ts';
import {
  createSinkClient,
  createSinkServer,
  PLATFORM_ORG,
  type SinkRecording,
  type SinkServer,
} from '../sink/index.ts';
import { createVirtualClock, type VirtualClock } from '../time/index.ts';
import type { RecordingDelivery } from './build-report.ts';
import { captureCallMedia } from './capture-call-media.ts';
import type { ExecutedCall, ScenarioExecution } from './execute-scenario.ts';
import type { ExpectationFailure } from './report-types.ts';
import type { Scenario } from './schema.ts';

const KEY = { keyId: 'callrec-runner', secret: 'callrec-runner-secret-0123456789', orgId: PLATFORM_ORG };

export interface EmbeddedSink {
  readonly server: SinkServer;
  readonly clock: VirtualClock;
  /** Tags this process's ids, so runs against a kept --db file never meet earlier runs' recordings. */
  readonly runId: string;
  close(): Promise<void>;
}

/** A sink in this process on a free loopback port, on its own virtual clock. */
export async function startEmbeddedSink(dbPath = ':memory:'): Promise<EmbeddedSink> {
  const clock = createVirtualClock();
  // The runner sweeps right before each retention or access question, so no hourly sweep on the clock:
  // across hundreds of virtual days it would only repeat the same scan thousands of times.
  const server = await createSinkServer({
    port: 0,
    host: '127.0.0.1',
    dbPath,
    clock,
    keys: [KEY],
    scheduleSweep: false,
  });
  return { server, clock, runId: randomUUID().slice(0, 8), close: () => server.close() };
}

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

interface Namespace {
  (id: string): string;
  /** E-mails are tagged too: the sink allows one Dubber account per admin e-mail across all orgs (S17). */
  email(address: string): string;
}

/** Scenario ids are prefixed per scenario so many scenarios share one sink without meeting. */
function namespace(runId: string, file: string, scenario: Scenario, startMs: number): Namespace {
  const tag = createHash('sha256')
    .update(`${runId}\n${file}\n${scenario.name}\n${startMs}`)
    .digest('hex')
    .slice(0, 10);
  const ns = (id: string) => `${tag}-${id}`;
  ns.email = (address: string) => address.replace('@', `+${tag}@`);
  return ns;
}

export async function deliverToSink(
  sink: EmbeddedSink,
  file: string,
  scenario: Scenario,
  execution: ScenarioExecution,
  seed: string,
): Promise<SinkOutcome> {
  const { hub } = execution;
  const ns = namespace(sink.runId, file, scenario, sink.clock.nowMs());
  const baseMs = sink.clock.nowMs() + 1;
  const at = (ms: number) => sink.clock.advanceTo(Math.max(sink.clock.nowMs(), baseMs + ms));
  const deliveries = new Map<string, RecordingDelivery>();
  const failures: ExpectationFailure[] = [];
  const provisioning = sink.server.provisioning;
  const client = createSinkClient({
    url: sink.server.streamUrl,
    keyId: KEY.keyId,
    secret: KEY.secret,
    clock: sink.clock,
  });

  for (const org of scenario.orgs)
    provisioning.upsertOrg({ orgId: ns(org.id), customerName: org.customerName });

  // Everything the sink learns or is asked, in time order (file order at the same instant).
  const actions: Action[] = [];
  let order = 0;
  for (const [userId, history] of Object.entries(hub.subscriptions)) {
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
  for (const [index, a] of (scenario.expect.access ?? []).entries()) {
    actions.push({ atMs: a.at ?? execution.endMs, order: order++, kind: 'access', index });
  }
  for (const [index, r] of (scenario.expect.retention ?? []).entries()) {
    actions.push({ atMs: r.at, order: order++, kind: 'retention', index });
  }
  actions.sort((a, b) => a.atMs - b.atMs || a.order - b.order);

  const ownerOf = new Map<string, string>();
  const sinkId = (recordingId: string) => ns(recordingId).replace(/#/g, '.');
  for (const action of actions) {
    at(action.atMs);
    if (action.kind === 'user' || action.kind === 'tier') {
      try {
        if (action.kind === 'user') provisionUser(sink, hub, ns, action.userId, baseMs, action.atMs);
        else
          provisioning.switchTier({
            userId: ns(action.userId),
            tier: action.tier,
            atMs: baseMs + action.atMs,
          });
      } catch (error) {
        if (!isSimError(error)) throw error;
        failures.push({
          expectation: `sink.provisioning.${action.userId}`,
          expected: 'the sink accepts what Control Hub shares (S18)',
          actual: error.code,
          message: error.message,
        });
      }
    } else if (action.kind === 'call') {
      await deliverCall(action.call);
    } else if (action.kind === 'access') {
      sink.server.sweepRetention();
      checkAccess(action.index);
    } else {
      sink.server.sweepRetention();
      checkRetention(action.index);
    }
  }
  return { deliveries, failures };

  async function deliverCall(call: ExecutedCall): Promise<void> {
    const captured = captureCallMedia(call.spec, call.run.log, seed);
    const user = hub.users[call.spec.user];
    if (user === undefined) return;
    for (const recording of captured.recordings) {
      ownerOf.set(recording.id, call.spec.user);
      at(recording.openedAtMs);
      // Positions count from the recording's open; capture times count from the call's first event.
      const openedAt = recording.openedAtMs - captured.originMs;
      const position = (atMs: number) => Math.max(0, atMs - openedAt);
      try {
        const rec = await client.openRecording({
          recordingId: sinkId(recording.id),
          orgId: ns(user.orgId),
          userId: ns(user.id),
          dubPoint: sinkDubPoint(hub, ns, user.id, recording.openedAtMs),
          direction: call.spec.direction === 'incoming' ? 'inbound' : 'outbound',
          remote: { type: call.spec.remote },
          format: call.spec.codec,
          ssrcs: { user: recording.identities.user.ssrc, remote: recording.identities.remote.ssrc },
        });
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
        const token = tokenFor({ user: call.spec.user }, user.orgId);
        const streams =
          token === undefined ? [] : sink.server.portal.get(token, sinkId(recording.id)).streams;
        const stream = (role: 'user' | 'remote') => streams.find((st) => st.role === role);
        deliveries.set(recording.id, {
          packetsPerStream: [stream('user')?.packets ?? 0, stream('remote')?.packets ?? 0],
          lostPerStream: [stream('user')?.lost ?? 0, stream('remote')?.lost ?? 0],
          stored: checkpoint.packetsStored >= sent,
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
        if (!isSimError(error)) throw error;
        failures.push({
          expectation: `sink.${recording.id}`,
          expected: 'the sink stores the recording',
          actual: error.code,
          message: error.message,
        });
      }
    }
  }

  function tokenFor(
    actor: { user?: string | undefined; admin?: string | undefined; org?: string | undefined },
    recordingOrg: string,
  ) {
    const orgId = ns(actor.org ?? (actor.user ? hub.users[actor.user]?.orgId : undefined) ?? recordingOrg);
    try {
      if (actor.user !== undefined) return provisioning.issueToken({ orgId, userId: ns(actor.user) });
      if (actor.admin !== undefined)
        return provisioning.issueToken({ orgId, adminEmail: ns.email(actor.admin) });
    } catch (error) {
      if (!isSimError(error)) throw error;
    }
    return undefined;
  }

  function visibleTo(token: string | undefined, recordingId: string): boolean {
    if (token === undefined) return false;
    try {
      return sink.server.portal.list(token).some((r) => r.recordingId === sinkId(recordingId));
    } catch (error) {
      if (!isSimError(error)) throw error;
      return false;
    }
  }

  function checkAccess(index: number): void {
    const wanted = scenario.expect.access?.[index];
    if (wanted === undefined || !deliveries.has(wanted.recording)) return;
    const owner = hub.users[ownerOf.get(wanted.recording) ?? ''];
    const allowed = visibleTo(tokenFor(wanted.actor, owner?.orgId ?? ''), wanted.recording);
    if (allowed !== wanted.allowed) {
      failures.push({
        expectation: `expect.access[${index}] (sink portal)`,
        expected: wanted.allowed,
        actual: allowed,
        message: `The sink's portal ${allowed ? 'lists' : 'does not list'} ${wanted.recording} for ${JSON.stringify(wanted.actor)}`,
      });
    }
  }

  function checkRetention(index: number): void {
    const wanted = scenario.expect.retention?.[index];
    if (wanted === undefined || !deliveries.has(wanted.recording)) return;
    const ownerId = ownerOf.get(wanted.recording) ?? '';
    const owner = hub.users[ownerId];
    const retained = visibleTo(tokenFor({ user: ownerId }, owner?.orgId ?? ''), wanted.recording);
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

function provisionUser(
  sink: EmbeddedSink,
  hub: ControlHubState,
  ns: Namespace,
  userId: string,
  baseMs: number,
  atMs: number,
): void {
  const user = hub.users[userId];
  const history = hub.subscriptions[userId];
  const first = history?.[0];
  if (user === undefined || first === undefined) return;
  const account = hub.dubberAccounts[user.orgId];
  if (account !== undefined) {
    sink.server.provisioning.upsertAccount({
      orgId: ns(user.orgId),
      termsAcceptedBy: ns.email(account.termsAcceptedBy),
      adminEmails: account.adminEmails.map(ns.email),
      createdAtMs: baseMs + account.createdAtMs,
    });
  }
  sink.server.provisioning.upsertUser({
    orgId: ns(user.orgId),
    userId: ns(user.id),
    profile: {
      timeZone: user.timeZone,
      firstName: user.firstName,
      lastName: user.lastName,
      email: ns.email(user.email),
    },
    dubPoint: sinkDubPoint(hub, ns, userId, atMs),
    tier: first.tier,
  });
}

/** The dub.point as Control Hub shows it at that time, with the sink-side ids. */
function sinkDubPoint(hub: ControlHubState, ns: Namespace, userId: string, atMs: number) {
  const info = platformInfo(hub, userId, atMs);
  return { ...info, externalGroup: ns(info.externalGroup), externalIdentifier: ns(info.externalIdentifier) };
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
