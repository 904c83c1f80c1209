/**
 * Checks one recording's parameters before anything is sent, so a bad call is a clear error naming the
 * field rather than a recorder's 400 or a session whose RTP goes nowhere.
 */
import { SimError } from '../../errors.ts';
import { RECORDING_CODECS } from '../../protocol/siprec/recording-sdp.ts';
import type { SiprecRecordingParams } from './src-types.ts';

function fail(field: string, message: string, value: unknown): never {
  throw new SimError('SIM_ERR_INVALID_ARGUMENT', `${field}: ${message}`, { details: { field, value } });
}

const isUint32 = (n: unknown) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 0xffff_ffff;

export function validateRecordingParams(params: SiprecRecordingParams): void {
  if (typeof params.recordingId !== 'string' || params.recordingId.length === 0)
    fail('recordingId', 'give the recording a non-empty id', params.recordingId);
  for (const role of ['user', 'remote'] as const) {
    const aor = params[role]?.aor;
    if (typeof aor !== 'string' || !/^(sips?|tel):[^\s<>"]+$/.test(aor))
      fail(`${role}.aor`, 'an address of record is a sip:, sips: or tel: URI without spaces', aor);
  }
  for (const field of ['serviceProvider', 'externalGroup', 'externalIdentifier'] as const) {
    const value = params.dubPoint?.[field];
    if (typeof value !== 'string' || value.trim().length === 0)
      fail(`dubPoint.${field}`, 'the dub.point Control Hub shows for the user is needed (S19, S33)', value);
  }
  if (params.direction !== 'inbound' && params.direction !== 'outbound')
    fail('direction', 'inbound or outbound', params.direction);
  if (!RECORDING_CODECS.includes(params.format)) fail('format', 'PCMU or PCMA', params.format);
  const codecs = params.codecs ?? [params.format];
  if (
    codecs.length === 0 ||
    codecs.some((c) => !RECORDING_CODECS.includes(c)) ||
    new Set(codecs).size !== codecs.length
  )
    fail('codecs', 'a non-empty list of PCMU and PCMA, each once', codecs);
  if (
    !isUint32(params.ssrcs?.user) ||
    !isUint32(params.ssrcs?.remote) ||
    params.ssrcs.user === params.ssrcs.remote
  )
    fail('ssrcs', 'two different 32-bit SSRCs, one per stream', params.ssrcs);
}
