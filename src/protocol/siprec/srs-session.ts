/**
 * The SRS side of a recording session (the fake Dubber, RFC 7866), as pure functions: given a recording
 * INVITE, either a 200 whose SDP answers every label `recvonly` (mirroring `inactive`) with a codec the
 * recorder takes, plus the decoded recording offer (streams, labels, codecs, participants, dub.point
 * identifiers); or the SIP error the sender should see, with `Warning: 399` and `Reason` headers saying
 * what is wrong. A re-INVITE (pause, resume) may carry SDP only; it is checked against the first offer.
 */

import { paramOf, parseNameAddr } from '../sip/sip-grammar.ts';
import {
  bodyText,
  headerValue,
  headerValues,
  type SipRequest,
  type SipResponse,
} from '../sip/sip-message.ts';
import { buildResponse, reasonHeader, warningHeader } from '../sip/sip-responses.ts';
import { parseContentType, recordingParts, SDP_CONTENT_TYPE } from './multipart.ts';
import {
  type DubPointIdentifiers,
  decodeRecordingOffer,
  offerFrom,
  type RecordingOffer,
} from './recording-offer.ts';
import {
  buildRecordingAnswer,
  parseRecordingSdp,
  RECORDING_CODECS,
  type RecordingAnswer,
  type RecordingCodec,
} from './recording-sdp.ts';
import { type SiprecFault, siprecFault } from './siprec-errors.ts';

export interface DubPointCheck {
  /** The dub.point field that differs. */
  readonly field: keyof DubPointIdentifiers;
  readonly expected: string;
  readonly got: string;
}

export interface SrsAnswerOptions {
  /** The `Warning` agent, e.g. `callrec-srs`. */
  readonly agent: string;
  /** This SRS's To tag for the dialog. */
  readonly localTag: string;
  /** Our Contact, e.g. `<sip:srs@127.0.0.1:5060>`. */
  readonly contact: string;
  readonly mediaAddress: string;
  /** A receive port per label (called once the labels are known). */
  readonly allocatePorts: (labels: readonly string[]) => Readonly<Record<string, number>>;
  readonly supported?: readonly RecordingCodec[];
  readonly sdpSessionId: string;
  readonly sdpVersion: number;
  /** Refuse an INVITE whose Contact lacks `+sip.src` / `src` (default true). */
  readonly requireSrcMarker?: boolean;
  /** Refuse a recording without BroadWorks identifiers (default true: Dubber finds the user by them). */
  readonly requireIdentifiers?: boolean;
  /** Compares the identifiers with the user's stored dub.point (S33); a difference is refused with 403. */
  readonly checkDubPoint?: (ids: DubPointIdentifiers) => DubPointCheck | undefined;
}

export type SrsDecision =
  | {
      readonly ok: true;
      readonly response: SipResponse;
      readonly offer: RecordingOffer;
      readonly answer: RecordingAnswer;
    }
  | { readonly ok: false; readonly response: SipResponse; readonly fault: SiprecFault };

/** The error answer: status from the fault, `Warning: 399 <agent> "<what is wrong>"` and `Reason`. */
export function refuseRecording(
  request: SipRequest,
  fault: SiprecFault,
  options: Pick<SrsAnswerOptions, 'agent' | 'localTag'>,
): SipResponse {
  return buildResponse(request, fault.status, {
    toTag: options.localTag,
    headers: [warningHeader(options.agent, fault.message), reasonHeader(fault.status, fault.message)],
  });
}

/** Where the Contact says this is a recording session: `+sip.src` (RFC 7866) or `src` (BroadWorks). */
export function srcMarkerOf(request: SipRequest): '+sip.src' | 'src' | undefined {
  for (const value of headerValues(request, 'Contact')) {
    const contact = parseNameAddr(value, 'Contact');
    if (!contact.ok) continue;
    if (paramOf(contact.value.params, '+sip.src') !== undefined) return '+sip.src';
    if (paramOf(contact.value.params, 'src') !== undefined) return 'src';
  }
  return undefined;
}

function decide(request: SipRequest, offer: RecordingOffer, options: SrsAnswerOptions): SrsDecision {
  const refuse = (fault: SiprecFault): SrsDecision => ({
    ok: false,
    response: refuseRecording(request, fault, options),
    fault,
  });
  if (offer.dubPoint === undefined && options.requireIdentifiers !== false) {
    return refuse(
      siprecFault(
        'SIPREC_ERR_NO_IDENTIFIERS',
        'The metadata has no broadWorksRecordingMetadata with serviceProviderID, groupID and userID; the recorder cannot tell whose recording this is',
      ),
    );
  }
  if (offer.dubPoint !== undefined && options.checkDubPoint !== undefined) {
    const mismatch = options.checkDubPoint(offer.dubPoint);
    if (mismatch !== undefined) {
      return refuse(
        siprecFault(
          'SIPREC_ERR_DUBPOINT_MISMATCH',
          `dub.point ${mismatch.field} is '${mismatch.expected}' but the metadata says '${mismatch.got}'; copy it from Control Hub (S33)`,
        ),
      );
    }
  }
  const answer = buildRecordingAnswer(offer.sdp, {
    origin: {
      username: 'callrec',
      sessionId: options.sdpSessionId,
      version: options.sdpVersion,
      address: options.mediaAddress,
    },
    ports: options.allocatePorts(offer.streams.map((s) => s.label)),
    supported: options.supported ?? RECORDING_CODECS,
  });
  if (!answer.ok) return refuse(answer.fault);
  const response = buildResponse(request, 200, {
    toTag: options.localTag,
    headers: [
      { name: 'Contact', value: options.contact },
      { name: 'Content-Type', value: SDP_CONTENT_TYPE },
    ],
    body: answer.value.sdp,
  });
  return { ok: true, response, offer, answer: answer.value };
}

/** Answers an initial recording INVITE. */
export function answerRecordingInvite(invite: SipRequest, options: SrsAnswerOptions): SrsDecision {
  const refuse = (fault: SiprecFault): SrsDecision => ({
    ok: false,
    response: refuseRecording(invite, fault, options),
    fault,
  });
  if (options.requireSrcMarker !== false && srcMarkerOf(invite) === undefined) {
    return refuse(
      siprecFault(
        'SIPREC_ERR_NOT_RECORDING',
        'Contact has no +sip.src feature tag (or src parameter): not a recording session',
      ),
    );
  }
  const parts = recordingParts(headerValue(invite, 'Content-Type'), bodyText(invite));
  if (!parts.ok) return refuse(parts.fault);
  const offer = decodeRecordingOffer(parts.value.sdp, parts.value.metadata);
  if (!offer.ok) return refuse(offer.fault);
  return decide(invite, offer.value, options);
}

/**
 * Answers a re-INVITE in an established recording session (pause with `a=inactive`, resume with
 * `a=sendonly`, or new metadata): SDP-only bodies reuse the metadata of `previous`; the labels must stay.
 */
export function answerRecordingReInvite(
  reinvite: SipRequest,
  previous: RecordingOffer,
  options: SrsAnswerOptions,
): SrsDecision {
  const refuse = (fault: SiprecFault): SrsDecision => ({
    ok: false,
    response: refuseRecording(reinvite, fault, options),
    fault,
  });
  const contentType = parseContentType(headerValue(reinvite, 'Content-Type') ?? '');
  let offer: RecordingOffer;
  if (contentType?.mediaType === SDP_CONTENT_TYPE) {
    const sdp = parseRecordingSdp(bodyText(reinvite));
    if (!sdp.ok) return refuse(sdp.fault);
    const combined = offerFrom(sdp.value, previous.metadata);
    if (!combined.ok) return refuse(combined.fault);
    offer = combined.value;
  } else {
    const parts = recordingParts(headerValue(reinvite, 'Content-Type'), bodyText(reinvite));
    if (!parts.ok) return refuse(parts.fault);
    const decoded = decodeRecordingOffer(parts.value.sdp, parts.value.metadata);
    if (!decoded.ok) return refuse(decoded.fault);
    offer = decoded.value;
  }
  const before = previous.streams.map((s) => s.label).join(',');
  const now = offer.streams.map((s) => s.label).join(',');
  if (before !== now) {
    return refuse(
      siprecFault('SIPREC_ERR_LABELS', `The re-INVITE offers labels ${now}; the session has ${before}`),
    );
  }
  if (offer.sdp.origin.version <= previous.sdp.origin.version) {
    return refuse(
      siprecFault(
        'SIPREC_ERR_SDP',
        `The re-INVITE's o= version ${offer.sdp.origin.version} is not above ${previous.sdp.origin.version} (RFC 3264 §8)`,
      ),
    );
  }
  return decide(reinvite, offer, options);
}
