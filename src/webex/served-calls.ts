/**
 * Live calls of a served world: each one a call machine (src/call) started with the user's settings at the
 * moment it is placed, driven by the API's call-control commands on the world's clock. The API's view of
 * a call (state, personality, recordingState) is derived from the machine.
 */
import type { CallCommand, CallLogEvent } from '../../machines/call-events.ts';
import type { CallDirection, RemoteType } from '../../machines/call-input.ts';
import { type CallRun, startCall } from '../call/call-run.ts';
import { type ControlHubState, getSettings, getUser } from '../domain/index.ts';
import { SimError } from '../errors.ts';
import type { SimClock } from '../time/index.ts';
import { effectiveFailureBehaviour, type OrgRecording } from './vendor.ts';
import { WebexHttpError } from './webex-error.ts';

export interface PlaceCallRequest {
  readonly userId: string;
  readonly direction: CallDirection;
  readonly remote: RemoteType;
  readonly remoteNumber?: string;
  readonly voicemail?: boolean;
  readonly recorderAnswerMs?: number;
  readonly recorderUp?: boolean;
  /** A call id of the caller's choosing (the scenario runner uses the scenario's); generated otherwise. */
  readonly callId?: string;
}

export interface ServedCall {
  readonly callId: string;
  readonly callSessionId: string;
  readonly userId: string;
  readonly orgId: string;
  readonly direction: CallDirection;
  readonly remote: RemoteType;
  readonly remoteNumber: string;
  readonly voicemail: boolean;
  readonly recorderAnswerMs: number;
  readonly recorderUp: boolean;
  readonly createdMs: number;
  answeredMs: number | undefined;
  readonly run: CallRun;
  /** The user's mode when the call was placed, as reports show it. */
  readonly mode: string;
}

/** The call as `GET /telephony/calls/{callId}` shows it (the published `Call` object). */
export interface CallDetails {
  readonly id: string;
  readonly callSessionId: string;
  readonly personality: 'originator' | 'terminator';
  readonly state: 'connecting' | 'alerting' | 'connected' | 'held' | 'disconnected';
  readonly remoteParty: {
    readonly number: string;
    readonly privacyEnabled: boolean;
    readonly callType: string;
  };
  readonly created: string;
  readonly answered?: string;
  readonly recordingState?: 'pending' | 'started' | 'paused' | 'stopped' | 'failed';
  readonly muteCapable: boolean;
  readonly muted: boolean;
}

export interface ServedCalls {
  place(request: PlaceCallRequest): ServedCall;
  /** The user's own call (404 for anyone else's: calls never show across users or organisations). */
  ofUser(userId: string, callId: string): ServedCall;
  find(callId: string): ServedCall | undefined;
  active(userId: string): ServedCall[];
  all(): ServedCall[];
  /** Sends a command; a command the call cannot take now is a 409 naming the reason (and is logged). */
  command(call: ServedCall, command: CallCommand): void;
  details(call: ServedCall): CallDetails;
  /** Every log entry of every call, as it happens (webhooks listen here). */
  onEvent(listener: (call: ServedCall, event: CallLogEvent) => void): () => void;
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._#-]{0,127}$/;

/** What the served calls read of their world (the world holds them, so they name only these). */
export interface ServedCallsWorld {
  readonly clock: SimClock;
  hub(): ControlHubState;
  recording(orgId: string): OrgRecording;
  iso(ms: number): string;
}

export function createServedCalls(world: ServedCallsWorld): ServedCalls {
  const calls = new Map<string, ServedCall>();
  const listeners = new Set<(call: ServedCall, event: CallLogEvent) => void>();
  let counter = 0;

  const place = (request: PlaceCallRequest): ServedCall => {
    const hub = world.hub();
    const user = getUser(hub, request.userId);
    counter += 1;
    const callId = request.callId ?? `call-${counter}`;
    if (!ID_PATTERN.test(callId)) {
      throw new SimError(
        'SIM_ERR_INVALID_ARGUMENT',
        `Call id ${JSON.stringify(callId)} is not valid: use letters, digits, dot, dash, underscore or #.`,
      );
    }
    if (calls.has(callId)) {
      throw new WebexHttpError(
        409,
        'SIM_ERR_INVALID_ARGUMENT',
        `A call with id "${callId}" already exists; choose another id.`,
      );
    }
    const settings = getSettings(hub, user.id);
    const org = world.recording(user.orgId);
    const run = startCall(world.clock, {
      callId,
      settings,
      direction: request.direction,
      remote: request.remote,
      voicemail: request.voicemail ?? false,
      recorder: { failureBehaviour: effectiveFailureBehaviour(org), waitMs: org.recorderWaitMs },
      recorderAnswerMs: request.recorderAnswerMs ?? 200,
      recorderUp: request.recorderUp ?? true,
    });
    const call: ServedCall = {
      callId,
      callSessionId: `session-${callId}`,
      userId: user.id,
      orgId: user.orgId,
      direction: request.direction,
      remote: request.remote,
      remoteNumber: request.remoteNumber ?? (request.remote === 'pstn' ? '+420555000111' : '2001'),
      voicemail: request.voicemail ?? false,
      recorderAnswerMs: request.recorderAnswerMs ?? 200,
      recorderUp: request.recorderUp ?? true,
      createdMs: world.clock.nowMs(),
      answeredMs: undefined,
      run,
      mode: settings.enabled ? settings.record : 'Never (recording off)',
    };
    calls.set(callId, call);
    run.onEvent((event) => {
      if (event.type === 'call' && event.phase === 'connected' && call.answeredMs === undefined) {
        call.answeredMs = event.atMs;
      }
      for (const listener of listeners) listener(call, event);
    });
    for (const listener of listeners) listener(call, { type: 'call', atMs: call.createdMs, phase: 'setup' });
    return call;
  };

  return {
    place,
    ofUser(userId, callId) {
      const call = calls.get(callId);
      if (call === undefined || call.userId !== userId) {
        throw new WebexHttpError(
          404,
          'SIM_ERR_NOT_FOUND',
          `No call "${callId}" of this user; list them with GET /v1/telephony/calls.`,
        );
      }
      return call;
    },
    find: (callId) => calls.get(callId),
    active: (userId) => [...calls.values()].filter((c) => c.userId === userId && !c.run.view().ended),
    all: () => [...calls.values()],
    command(call, command) {
      const before = call.run.log.length;
      call.run.send(command);
      const rejected = call.run.log.slice(before).find((e) => e.type === 'rejected');
      if (rejected !== undefined && rejected.type === 'rejected') {
        throw new SimError(
          'SIM_ERR_COMMAND_NOT_ALLOWED',
          `Call ${call.callId} cannot ${command} now: ${rejected.reason}.`,
          { details: { callId: call.callId, command } },
        );
      }
    },
    details(call) {
      const view = call.run.view();
      const state =
        view.phase === 'setup'
          ? call.direction === 'incoming'
            ? 'alerting'
            : 'connecting'
          : view.phase === 'ended'
            ? 'disconnected'
            : view.phase;
      return {
        id: call.callId,
        callSessionId: call.callSessionId,
        personality: call.direction === 'incoming' ? 'terminator' : 'originator',
        state,
        remoteParty: {
          number: call.remoteNumber,
          privacyEnabled: false,
          callType: call.remote === 'internal' ? 'location' : 'external',
        },
        created: world.iso(call.createdMs),
        ...(call.answeredMs === undefined ? {} : { answered: world.iso(call.answeredMs) }),
        ...(view.recordingState === 'none' ? {} : { recordingState: view.recordingState }),
        muteCapable: false,
        muted: false,
      };
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
