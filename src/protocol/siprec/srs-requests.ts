/**
 * What the recorder answers to requests other than a recording INVITE, as pure functions a listener calls
 * before (Require) or instead of (everything but INVITE) `answerRecordingInvite`: a `Require` naming an
 * extension it lacks gets 420 with `Unsupported` (RFC 3261 §8.2.2.3; it supports RFC 7866's `siprec`);
 * OPTIONS gets 200 with what it allows and accepts; BYE and INFO get 200 in a dialog it knows, 481
 * otherwise; a CANCEL that reached here matched no transaction (481); other RFC 3261-family methods get
 * 405 and unknown ones 501, both with `Allow`. ACKs are never answered.
 */
import { headerValue, headerValues, type SipRequest, type SipResponse } from '../sip/sip-message.ts';
import { buildResponse, warningHeader } from '../sip/sip-responses.ts';

export const SRS_ALLOW = 'INVITE, ACK, BYE, CANCEL, OPTIONS, INFO';
export const SRS_ACCEPT = 'application/sdp, multipart/mixed, application/rs-metadata+xml';
export const SRS_SUPPORTED: readonly string[] = ['siprec'];
const KNOWN_UNSUPPORTED = new Set([
  'REGISTER',
  'SUBSCRIBE',
  'NOTIFY',
  'MESSAGE',
  'REFER',
  'PRACK',
  'UPDATE',
  'PUBLISH',
]);

export interface SrsRequestContext {
  readonly agent: string;
  readonly localTag: string;
  /** Whether (Call-ID, the request's From tag) is a recording session this SRS holds. */
  readonly knowsDialog: (callId: string, fromTag: string | undefined) => boolean;
}

/** 420 Bad Extension listing the option tags of `Require` this recorder does not support, or undefined. */
export function checkRequire(
  request: SipRequest,
  agent: string,
  supported: readonly string[] = SRS_SUPPORTED,
): SipResponse | undefined {
  if (request.method === 'ACK' || request.method === 'CANCEL') return undefined;
  const missing = headerValues(request, 'Require').filter(
    (tag) => tag.length > 0 && !supported.includes(tag.toLowerCase()),
  );
  if (missing.length === 0) return undefined;
  return buildResponse(request, 420, {
    headers: [
      { name: 'Unsupported', value: missing.join(', ') },
      warningHeader(agent, `Extensions not supported: ${missing.join(', ')}`),
    ],
  });
}

function fromTagOf(request: SipRequest): string | undefined {
  return /;\s*tag\s*=\s*([^;\s,]+)/i.exec(headerValue(request, 'From') ?? '')?.[1];
}

/** The answer to a request that is not a recording INVITE; undefined for an ACK. */
export function answerSrsRequest(request: SipRequest, context: SrsRequestContext): SipResponse | undefined {
  const { method } = request;
  if (method === 'ACK') return undefined;
  const required = checkRequire(request, context.agent);
  if (required !== undefined) return required;
  const inDialog = () => context.knowsDialog(headerValue(request, 'Call-ID') ?? '', fromTagOf(request));
  const allow = { name: 'Allow', value: SRS_ALLOW };
  switch (method) {
    case 'OPTIONS':
      return buildResponse(request, 200, {
        toTag: context.localTag,
        headers: [
          allow,
          { name: 'Accept', value: SRS_ACCEPT },
          { name: 'Supported', value: SRS_SUPPORTED.join(', ') },
        ],
      });
    case 'BYE':
    case 'INFO':
      return inDialog()
        ? buildResponse(request, 200)
        : buildResponse(request, 481, {
            toTag: context.localTag,
            headers: [warningHeader(context.agent, 'No recording session with this Call-ID and tag')],
          });
    case 'CANCEL':
      return buildResponse(request, 481, {
        toTag: context.localTag,
        headers: [warningHeader(context.agent, 'No INVITE to cancel')],
      });
    case 'INVITE':
      return buildResponse(request, 500, {
        toTag: context.localTag,
        headers: [warningHeader(context.agent, 'INVITE is answered by answerRecordingInvite')],
      });
    default:
      return buildResponse(request, KNOWN_UNSUPPORTED.has(method) ? 405 : 501, {
        toTag: context.localTag,
        headers: [
          allow,
          warningHeader(
            context.agent,
            `${method.slice(0, 40)} is not used by a recorder; it allows ${SRS_ALLOW}`,
          ),
        ],
      });
  }
}
