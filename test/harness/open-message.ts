/**
 * The `open` message the sink tests and benches send, spelled out as docs/sink-protocol.md has it (not
 * taken from the client's own builder, so the tests check the wire format rather than the client).
 */
import type { DubPoint } from '../../src/domain/platform-info.ts';
import type { MediaFormat, OpenParameters } from '../../src/protocol/messages.ts';
import { dubPointOf, REMOTE_SSRC, USER_SSRC } from './helpers.ts';

export interface OpenFixture {
  readonly orgId?: string;
  readonly userId?: string;
  readonly dubPoint?: DubPoint;
  readonly direction?: OpenParameters['direction'];
  readonly remote?: OpenParameters['remote'];
  readonly format?: MediaFormat;
  /** SSRCs of label 1 (the recorded user) and label 2 (the remote party). */
  readonly ssrcs?: readonly [user: number, remote: number];
}

/** `open` parameters: alice of acme, inbound from the PSTN, PCMU, USER_SSRC and REMOTE_SSRC, unless told. */
export function openParameters(fixture: OpenFixture = {}): OpenParameters {
  const userId = fixture.userId ?? 'alice';
  const [userSsrc, remoteSsrc] = fixture.ssrcs ?? [USER_SSRC, REMOTE_SSRC];
  return {
    orgId: fixture.orgId ?? 'acme',
    userId,
    dubPoint: fixture.dubPoint ?? dubPointOf(userId),
    direction: fixture.direction ?? 'inbound',
    remote: fixture.remote ?? { type: 'pstn' },
    media: {
      format: fixture.format ?? 'PCMU',
      rate: 8000,
      streams: [
        { ssrc: userSsrc, label: 1 },
        { ssrc: remoteSsrc, label: 2 },
      ],
    },
  };
}

/** The `open` message as sent: seq 1 at PT0S; `envelope` replaces fields of the envelope (not of `parameters`). */
export function openMessageText(
  id: string,
  parameters: object,
  envelope: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    version: '1',
    id,
    type: 'open',
    seq: 1,
    position: 'PT0S',
    parameters,
    ...envelope,
  });
}
