/**
 * The ingest core driven without the WebSocket framing, as a SIP/RTP transport would: decoded message
 * objects, one RTP datagram per frame, replies as message objects. What it stores and answers is what
 * the ws session's tests check over JSON text and length-prefixed frames.
 */
import { describe, expect, it } from 'vitest';
import { createIngestCore } from '../../../src/dubber/ingest/ingest-core.ts';
import { DEFAULT_SINK_LIMITS } from '../../../src/dubber/limits.ts';
import { createPortal } from '../../../src/dubber/portal.ts';
import { createProvisioning } from '../../../src/dubber/provisioning.ts';
import { createSqliteStore } from '../../../src/dubber/store/sqlite/sqlite-store.ts';
import type { ServerMessage } from '../../../src/protocol/messages.ts';
import { clientMessage } from '../../../src/protocol/parse-message.ts';
import { createVirtualClock } from '../../../src/time/virtual-clock.ts';
import {
  dubPointOf,
  PLATFORM_KEY,
  provisionWorld,
  REMOTE_SSRC,
  rtpStream,
  USER_SSRC,
} from '../../harness/helpers.ts';

function setUp() {
  const clock = createVirtualClock();
  const store = createSqliteStore({ path: ':memory:' });
  const provisioning = createProvisioning(store, clock);
  provisionWorld(provisioning);
  const replies: ServerMessage[] = [];
  let flushRequested = 0;
  const core = createIngestCore(
    {
      store,
      clock,
      key: PLATFORM_KEY,
      limits: { ...DEFAULT_SINK_LIMITS, openTimeoutMs: 0, checkpointEveryFrames: 10 },
      requestFlush: () => {
        flushRequested += 1;
      },
      flushNow: () => {},
      claimRecording: () => {},
    },
    { send: (m) => replies.push(m), close: () => {} },
  );
  const commit = () => {
    store.transaction(() => core.applyPending());
    core.afterCommit();
  };
  const token = provisioning.issueToken({ orgId: 'acme', userId: 'alice' });
  return {
    core,
    store,
    replies,
    commit,
    portal: createPortal(store, clock),
    token,
    flushes: () => flushRequested,
  };
}

describe('ingest core without the ws framing', () => {
  it('opens, stores RTP datagrams one per frame, checkpoints and closes', () => {
    const { core, replies, commit, portal, token } = setUp();
    let seq = 0;
    core.message(
      clientMessage('open', {
        id: 'sip-1',
        seq: ++seq,
        positionMs: 0,
        parameters: {
          orgId: 'acme',
          userId: 'alice',
          dubPoint: dubPointOf('alice'),
          direction: 'inbound',
          remote: { type: 'pstn' },
          media: {
            format: 'PCMU',
            rate: 8000,
            streams: [
              { ssrc: USER_SSRC, label: 1 },
              { ssrc: REMOTE_SSRC, label: 2 },
            ],
          },
        },
      }),
      0,
    );
    expect(replies.map((r) => r.type)).toEqual(['opened']);
    const packets = [...rtpStream(USER_SSRC, 10), ...rtpStream(REMOTE_SSRC, 10)];
    for (const datagram of packets) {
      expect(core.acceptsFrame()).toBe(true);
      core.beginFrame();
      core.packet(datagram, 0, datagram.length);
      core.endFrame();
    }
    commit();
    const checkpoint = replies.find((r) => r.type === 'checkpoint');
    expect(checkpoint?.parameters).toEqual({ frames: 20, packets: 20 });
    core.message(
      clientMessage('close', { id: 'sip-1', seq: ++seq, positionMs: 200, parameters: { reason: 'end' } }),
      200,
    );
    commit();
    expect(replies.at(-1)).toMatchObject({ type: 'closed', clientseq: 2, parameters: { state: 'closed' } });
    const [stream1, stream2] = portal.get(token, 'sip-1').streams;
    expect([stream1?.packets, stream2?.packets]).toEqual([10, 10]);
  });

  it('a packet before any open fails the session, as a ws frame does', () => {
    const { core, replies } = setUp();
    expect(core.acceptsFrame()).toBe(false);
    expect(core.ended).toBe(true);
    expect(replies.at(-1)).toMatchObject({
      type: 'error',
      parameters: { code: 'SINK_ERR_NOT_OPEN', fatal: true },
    });
  });
});
