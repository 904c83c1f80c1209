/**
 * A sink with recordings for the portal page tests, made by real protocol sessions: acme (alice and
 * bob on Go, dave on Standard; admin it@acme), globex (carol on Go; admin it@globex, a Go admin) and
 * initech (eve on Standard; admin it@initech). alice's call pauses from 1 s to 4 s with a beep notice
 * on pause and resume (S26, S27); every call has audio on both lanes. The clock then moves on 18 days.
 */
import { DAY_MS } from '../../src/domain/subscription.ts';
import { createSinkServer, type SinkServer } from '../../src/dubber/server.ts';
import { createSqliteStore } from '../../src/dubber/store/sqlite/sqlite-store.ts';
import { encodeG711 } from '../../src/media/g711.ts';
import { buildRtpPacket } from '../../src/protocol/rtp-header.ts';
import { createHarness } from '../dubber/session-harness.ts';
import { dubPointOf, interleave, PLATFORM_KEY, REMOTE_SSRC, USER_SSRC } from '../harness/helpers.ts';

/**
 * `count` 20 ms PCMU packets of a voice-like sound from packet `startIndex`: a tone under a syllable
 * envelope that never falls silent, so a waveform lane has ink wherever there is audio and none in a pause.
 */
function talk(ssrc: number, count: number, startIndex: number, toneHz: number, phase: number): Uint8Array[] {
  const packets: Uint8Array[] = [];
  for (let p = startIndex; p < startIndex + count; p++) {
    const samples = new Array<number>(160);
    for (let i = 0; i < 160; i++) {
      const tS = (p * 160 + i) / 8000;
      const envelope = 0.25 + 0.75 * Math.abs(Math.sin(Math.PI * (tS / 0.45 + phase)));
      samples[i] = Math.round(12000 * envelope * Math.sin(2 * Math.PI * toneHz * tS));
    }
    packets.push(
      buildRtpPacket({
        payloadType: 0,
        sequenceNumber: p & 0xffff,
        timestamp: (p * 160) >>> 0,
        ssrc,
        payload: encodeG711(samples, 'mulaw'),
      }),
    );
  }
  return packets;
}

const both = (count: number, startIndex: number) =>
  interleave(talk(USER_SSRC, count, startIndex, 220, 0), talk(REMOTE_SSRC, count, startIndex, 330, 0.5));

export const RECORDINGS = {
  alice: 'rec-alice',
  bob: 'rec-bob',
  dave: 'rec-dave',
  carol: 'rec-carol',
  eve: 'rec-eve',
} as const;

/** alice's call: audio 0–1 s, paused 1–4 s, audio 4–5 s. */
export const ALICE_PAUSE = { startMs: 1000, endMs: 4000, durationMs: 5000 } as const;
export const ELAPSED_MS = 18 * DAY_MS;

export interface PortalWorld {
  readonly server: SinkServer;
  readonly harness: ReturnType<typeof createHarness>;
  close(): Promise<void>;
}

/** `dbPath` keeps the sink's database in a file (default in memory). */
export async function startPortalWorld(dbPath = ':memory:'): Promise<PortalWorld> {
  const store = createSqliteStore({ path: dbPath });
  const h = createHarness({}, { store });
  const p = h.provisioning;
  p.upsertOrg({ orgId: 'initech', customerName: 'Initech GmbH' });
  p.upsertAccount({
    orgId: 'initech',
    termsAcceptedBy: 'it@initech.example',
    adminEmails: ['it@initech.example'],
  });
  for (const [userId, orgId] of [
    ['dave', 'acme'],
    ['eve', 'initech'],
  ] as const) {
    p.upsertUser({
      orgId,
      userId,
      profile: {
        timeZone: 'Europe/Prague',
        firstName: userId,
        lastName: 'Test',
        email: `${userId}@${orgId}.example`,
      },
      dubPoint: dubPointOf(userId, orgId),
      tier: 'Standard',
    });
  }
  const call = (id: string, userId: string, orgId: string, pause: boolean) => {
    const c = h.connect();
    c.open({ id, userId, orgId, dubPoint: dubPointOf(userId, orgId) });
    c.frame(both(50, 0));
    if (pause) {
      c.send('paused', ALICE_PAUSE.startMs);
      c.send('announcement', ALICE_PAUSE.startMs, { kind: 'pause', sound: 'beep' });
      c.send('resumed', ALICE_PAUSE.endMs);
      c.send('announcement', ALICE_PAUSE.endMs, { kind: 'resume', sound: 'beep' });
      c.frame(both(50, 50));
      c.send('close', ALICE_PAUSE.durationMs);
    } else {
      c.send('close', 1000);
    }
    h.flush();
    if (c.last()?.type !== 'closed')
      throw new Error(`recording ${id} did not close: ${JSON.stringify(c.last())}`);
  };
  call(RECORDINGS.alice, 'alice', 'acme', true);
  call(RECORDINGS.bob, 'bob', 'acme', false);
  call(RECORDINGS.dave, 'dave', 'acme', false);
  call(RECORDINGS.carol, 'carol', 'globex', false);
  call(RECORDINGS.eve, 'eve', 'initech', false);
  h.clock.advanceBy(ELAPSED_MS);
  const server = await createSinkServer({
    store,
    clock: h.clock,
    keys: [PLATFORM_KEY],
    scheduleSweep: false,
  });
  return {
    server,
    harness: h,
    async close() {
      await server.close();
      store.close();
    },
  };
}
