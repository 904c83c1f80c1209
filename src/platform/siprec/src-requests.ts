/**
 * The SRC's requests that the pure SIPREC builders do not make: CANCEL of an unanswered INVITE (RFC 3261
 * §9.1: the INVITE's Request-URI, Call-ID, From, To, CSeq number and its one Via, branch included), the
 * announcement INFO (shaped as every in-dialog request: the BYE builder's headers with method INFO and the
 * metadata body), and the dialog a late 2xx starts (its To tag and Contact), so it can be ACKed and ended.
 */
import { paramOf, parseNameAddr } from '../../protocol/sip/sip-grammar.ts';
import {
  headerValue,
  type SipRequest,
  type SipResponse,
  sipRequest,
} from '../../protocol/sip/sip-message.ts';
import {
  type AnnouncementReport,
  buildAnnouncementInfoBody,
} from '../../protocol/siprec/announcement-info.ts';
import { METADATA_CONTENT_TYPE, METADATA_DISPOSITION } from '../../protocol/siprec/multipart.ts';
import { buildRecordingBye, type SrcDialog } from '../../protocol/siprec/src-session.ts';

export function buildCancel(invite: SipRequest): SipRequest {
  const number = (headerValue(invite, 'CSeq') ?? '1').trim().split(/\s+/)[0] ?? '1';
  const via = invite.headers.find((h) => h.name === 'Via');
  return sipRequest({
    method: 'CANCEL',
    uri: invite.uri,
    headers: [
      ...(via === undefined ? [] : [via]),
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: headerValue(invite, 'From') ?? '' },
      { name: 'To', value: headerValue(invite, 'To') ?? '' },
      { name: 'Call-ID', value: headerValue(invite, 'Call-ID') ?? '' },
      { name: 'CSeq', value: `${number} CANCEL` },
    ],
  });
}

export function buildAnnouncementInfo(
  dialog: SrcDialog,
  report: AnnouncementReport,
  branch: string,
): { request: SipRequest; dialog: SrcDialog } {
  const bye = buildRecordingBye(dialog, branch);
  const headers = bye.request.headers.map((h) =>
    h.name === 'CSeq' ? { name: 'CSeq', value: `${bye.dialog.cseq} INFO` } : h,
  );
  return {
    request: sipRequest({
      method: 'INFO',
      uri: bye.request.uri,
      headers: [
        ...headers,
        { name: 'Content-Type', value: METADATA_CONTENT_TYPE },
        { name: 'Content-Disposition', value: METADATA_DISPOSITION },
      ],
      body: buildAnnouncementInfoBody(report, dialog.spec.metadataNamespace ?? 'siprec'),
    }),
    dialog: bye.dialog,
  };
}

/** The dialog as a 2xx establishes it (To tag, Contact), without judging its SDP. */
export function dialogOfAnswer(dialog: SrcDialog, response: SipResponse): SrcDialog {
  const to = parseNameAddr(headerValue(response, 'To') ?? '', 'To');
  const tag = to.ok ? paramOf(to.value.params, 'tag')?.value : undefined;
  const contact = parseNameAddr(headerValue(response, 'Contact') ?? '', 'Contact');
  return {
    ...dialog,
    ...(tag === undefined || dialog.remoteTag !== undefined ? {} : { remoteTag: tag }),
    ...(contact.ok ? { remoteTarget: contact.value.uri } : {}),
  };
}

export function cseqOf(message: SipRequest | SipResponse): { number: number; method: string } {
  const [n, method] = (headerValue(message, 'CSeq') ?? '').trim().split(/\s+/);
  return { number: Number(n), method: method ?? '' };
}
