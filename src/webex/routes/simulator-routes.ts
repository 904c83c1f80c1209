/**
 * The simulator's own endpoints (openapi/simulator.yaml), all needing the `callrec:simulator` scope:
 * mint tokens, read and move virtual time, place calls from the network, answer as the remote party,
 * take the recorder down or up, read a call's log, the platform info and the Dubber subscription.
 */
import { getUser, type Tier } from '../../domain/index.ts';
import { SimError } from '../../errors.ts';
import { bodyObject, NO_CONTENT, type RouteContext, type RouteTable } from '../route.ts';
import { ADMIN_SCOPES, ALL_SCOPES, type Scope, SIMULATOR_SCOPE, USER_SCOPES } from '../tokens.ts';
import { WebexHttpError } from '../webex-error.ts';
import { platformInfoOf, setSubscription } from '../webex-world.ts';

const SIM = [SIMULATOR_SCOPE] as const;

function clockView(context: RouteContext) {
  const nowMs = context.world.clock.nowMs();
  return {
    nowMs,
    time: context.world.iso(nowMs),
    mode: context.advanceClock === undefined ? 'real' : 'virtual',
  };
}

function anyCall(context: RouteContext) {
  const call = context.world.calls.find(context.params.callId as string);
  if (call === undefined)
    throw new WebexHttpError(404, 'SIM_ERR_NOT_FOUND', `No call "${context.params.callId}".`);
  return call;
}

export const simulatorRoutes: RouteTable = {
  simulatorMintToken: {
    scopes: SIM,
    handle: (context) => {
      const body = bodyObject(context);
      const subject = String(body.subject);
      const requested = (body.scopes as string[] | undefined) ?? undefined;
      const unknown = (requested ?? []).filter((s) => !(ALL_SCOPES as readonly string[]).includes(s));
      if (unknown.length > 0) {
        throw new WebexHttpError(
          400,
          'SIM_ERR_INVALID_ARGUMENT',
          `scopes: unknown scope ${unknown.map((s) => JSON.stringify(s)).join(', ')}; known: ${ALL_SCOPES.join(', ')}.`,
        );
      }
      const admin = context.world.admins.get(subject.toLowerCase());
      const user = context.world.hub().users[subject];
      if (admin === undefined && user === undefined) {
        throw new WebexHttpError(
          404,
          'SIM_ERR_NOT_FOUND',
          `No admin e-mail or user id "${subject}" in the served world.`,
        );
      }
      const scopes = (requested ?? (admin ? ADMIN_SCOPES : USER_SCOPES)) as Scope[];
      const issued = admin
        ? context.tokens.issue({ kind: 'admin', admin }, scopes, admin.email)
        : context.tokens.issue(
            { kind: 'user', userId: subject, orgId: getUser(context.world.hub(), subject).orgId },
            scopes,
            subject,
          );
      return { status: 201, body: { token: issued.token, subject: issued.label, scopes: issued.scopes } };
    },
  },
  simulatorGetClock: { scopes: SIM, handle: (context) => ({ status: 200, body: clockView(context) }) },
  simulatorAdvanceClock: {
    scopes: SIM,
    handle: (context) => {
      if (context.advanceClock === undefined) {
        throw new WebexHttpError(
          409,
          'SIM_ERR_USAGE',
          'This world runs in real time; start it with --virtual-time to move time by request.',
        );
      }
      context.advanceClock(bodyObject(context).ms as number);
      return { status: 200, body: clockView(context) };
    },
  },
  simulatorPlaceCall: {
    scopes: SIM,
    handle: (context) => {
      const body = bodyObject(context);
      const recorder = (body.recorder ?? {}) as { answerMs?: number; up?: boolean };
      const call = context.world.calls.place({
        userId: String(body.personId),
        direction: (body.direction as 'incoming' | 'outgoing' | undefined) ?? 'incoming',
        remote: (body.remote as 'internal' | 'pstn' | undefined) ?? 'pstn',
        ...(body.remoteNumber === undefined ? {} : { remoteNumber: body.remoteNumber as string }),
        voicemail: body.voicemail === true,
        ...(recorder.answerMs === undefined ? {} : { recorderAnswerMs: recorder.answerMs }),
        ...(recorder.up === undefined ? {} : { recorderUp: recorder.up }),
        ...(body.callId === undefined ? {} : { callId: body.callId as string }),
      });
      return { status: 201, body: { callId: call.callId, callSessionId: call.callSessionId } };
    },
  },
  simulatorRemoteAnswer: {
    scopes: SIM,
    handle: (context) => {
      const call = anyCall(context);
      if (call.direction !== 'outgoing') {
        throw new SimError(
          'SIM_ERR_COMMAND_NOT_ALLOWED',
          `Call ${call.callId} is incoming; the user answers it with POST /v1/telephony/calls/answer.`,
        );
      }
      context.world.calls.command(call, 'answer');
      return NO_CONTENT;
    },
  },
  simulatorSetRecorder: {
    scopes: SIM,
    handle: (context) => {
      context.world.calls.command(
        anyCall(context),
        bodyObject(context).up === true ? 'recorder-up' : 'recorder-down',
      );
      return NO_CONTENT;
    },
  },
  simulatorCallLog: {
    scopes: SIM,
    handle: (context) => {
      const call = anyCall(context);
      const dubber = context.dubber?.delivery(call.callId);
      return {
        status: 200,
        body: {
          recordedMs: call.run.view().recordedMs,
          items: call.run.log,
          ...(dubber === undefined ? {} : { dubber }),
        },
      };
    },
  },
  simulatorPlatformInfo: {
    scopes: SIM,
    handle: (context) => ({
      status: 200,
      body: platformInfoOf(context.world, context.params.personId as string),
    }),
  },
  simulatorSetSubscription: {
    scopes: SIM,
    handle: (context) => {
      setSubscription(context.world, context.params.personId as string, bodyObject(context).tier as Tier);
      return NO_CONTENT;
    },
  },
};
