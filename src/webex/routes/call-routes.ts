/**
 * Call control on the token user's own calls (call-controls.yaml): dial, answer, hold, resume, hangup,
 * start/stop/pause/resumeRecording, and the calls' details with the recording state the call machine
 * derives. A command the call cannot take now (e.g. startRecording in Always mode) is a 409 naming why,
 * and the call logs it as rejected, as a phone would.
 */
import type { CallCommand } from '../../../machines/call-events.ts';
import { bodyObject, NO_CONTENT, type RouteContext, type RouteTable, userOf } from '../route.ts';
import type { ServedCall } from '../served-calls.ts';
import { WebexHttpError } from '../webex-error.ts';

const WRITE = ['spark:calls_write'] as const;
const READ = ['spark:calls_read'] as const;

function callOf(context: RouteContext, optional = false): ServedCall {
  const { userId } = userOf(context);
  const callId = bodyObject(context).callId ?? context.params.callId;
  if (typeof callId === 'string') return context.world.calls.ofUser(userId, callId);
  const active = context.world.calls.active(userId);
  if (optional && active.length === 1) return active[0] as ServedCall;
  throw new WebexHttpError(
    400,
    'SIM_ERR_INVALID_ARGUMENT',
    `callId: is required (the user has ${active.length} active calls).`,
  );
}

function commandRoute(command: CallCommand, optionalCallId = false) {
  return {
    scopes: WRITE,
    handle: (context: RouteContext) => {
      context.world.calls.command(callOf(context, optionalCallId), command);
      return NO_CONTENT;
    },
  };
}

/** Destinations of the dial API: another user of the org (id, e-mail or a short extension) is internal. */
function remoteOf(context: RouteContext, destination: string): 'internal' | 'pstn' {
  const { orgId } = userOf(context);
  const bare = destination.replace(/^(sip:|tel:)/, '');
  const colleague = Object.values(context.world.hub().users).some(
    (u) => u.orgId === orgId && (u.id === bare || u.email.toLowerCase() === bare.toLowerCase()),
  );
  return colleague || /^\d{2,6}$/.test(bare) ? 'internal' : 'pstn';
}

export const callRoutes: RouteTable = {
  dial: {
    scopes: WRITE,
    handle: (context) => {
      const { userId } = userOf(context);
      const destination = String(bodyObject(context).destination);
      const call = context.world.calls.place({
        userId,
        direction: 'outgoing',
        remote: remoteOf(context, destination),
        remoteNumber: destination,
      });
      return { status: 201, body: { callId: call.callId, callSessionId: call.callSessionId } };
    },
  },
  answer: {
    scopes: WRITE,
    handle: (context) => {
      const call = callOf(context);
      const details = context.world.calls.details(call);
      if (details.state !== 'alerting') {
        throw new WebexHttpError(
          409,
          'SIM_ERR_COMMAND_NOT_ALLOWED',
          `Call ${call.callId} is ${details.state}, not alerting; only an incoming call that is ringing can be answered.`,
        );
      }
      context.world.calls.command(call, 'answer');
      return NO_CONTENT;
    },
  },
  hangup: commandRoute('hang-up'),
  hold: commandRoute('hold'),
  resume: commandRoute('unhold'),
  startrecording: commandRoute('start', true),
  stoprecording: commandRoute('stop', true),
  pauserecording: commandRoute('pause', true),
  resumerecording: commandRoute('resume', true),
  listcalls: {
    scopes: READ,
    handle: (context) => {
      const { userId } = userOf(context);
      const items = context.world.calls.active(userId).map((c) => context.world.calls.details(c));
      return { status: 200, body: { items } };
    },
  },
  getcalldetails: {
    scopes: READ,
    handle: (context) => ({ status: 200, body: context.world.calls.details(callOf(context)) }),
  },
};
