/**
 * The durability promise: a sink killed with SIGKILL mid-call and restarted on the same database file
 * has every packet it acknowledged in a checkpoint, and after the client resends its journal each packet
 * is stored exactly once. Timeouts are hang guards only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../../src/dubber/store/sqlite/sqlite-store.ts';
import { createEpochClock } from '../../../src/time/index.ts';
import {
  aliceRecordingRequest,
  interleave,
  platformClient,
  REMOTE_SSRC,
  rtpStream,
  USER_SSRC,
} from '../../harness/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'callrec-sink-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function startSink(dbPath: string, writer: string): Promise<{ child: ChildProcess; url: string }> {
  const script = join(import.meta.dirname, 'fixtures', 'sink-process.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, dbPath, writer], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /LISTENING (\S+)/.exec(out);
      if (match?.[1]) resolve({ child, url: match[1] });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`sink exited with ${code}: ${err}`)));
  });
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

// Audio committed on the event loop (the default), and by the media writer thread (as a live load runs).
describe.each(['event-loop', 'writer'])('kill -9 mid-call, audio committed by the %s', (writer) => {
  it('loses no acknowledged packet and duplicates none after restart and resend', async () => {
    const dbPath = join(dir, `sink-${writer}.db`);
    const clock = createEpochClock();
    const first = await startSink(dbPath, writer);
    const client = platformClient(first.url, clock, 4);
    const rec = await client.openRecording(aliceRecordingRequest('kill-9'));
    const packets = interleave(rtpStream(USER_SSRC, 1500, 1000), rtpStream(REMOTE_SSRC, 1500, 1000));
    for (const p of packets.slice(0, 1000)) rec.sendPacket(p);
    rec.paused(10_000);
    rec.resumed(12_000);
    await rec.drain();
    // Keep sending while the sink acknowledges; kill it mid-stream, with frames in flight and more queued.
    let killed: Promise<void> | undefined;
    let sentAtKill = 0;
    let framesAfterAck = 0;
    const killNow = (sent: number) => {
      sentAtKill = sent;
      killed = kill9(first.child);
    };
    for (let i = 1000; i < 2000; i += 4) {
      for (const p of packets.slice(i, i + 4)) rec.sendPacket(p);
      await new Promise((resolve) => setImmediate(resolve));
      // A few frames past a checkpoint, so some stored frames are likely not yet acknowledged.
      if ((rec.lastCheckpoint?.packetsStored ?? 0) > 1200) framesAfterAck += 1;
      if (killed === undefined && framesAfterAck === 20) killNow(i + 4);
      // On a slow machine the checkpoints lag: wait for one here, so the kill still comes mid-stream.
      if (killed === undefined && i + 4 === 1800) {
        while ((rec.lastCheckpoint?.packetsStored ?? 0) <= 1200) await new Promise((r) => setTimeout(r, 5));
        killNow(i + 4);
      }
    }
    await killed;
    // The kill came mid-stream: packets were still to be sent after it (they wait in the client's journal).
    expect(killed).toBeDefined();
    expect(sentAtKill).toBeGreaterThan(1200);
    expect(sentAtKill).toBeLessThan(packets.length - 500);
    // Any checkpoint that reached the client was sent after its commit, so it counts as acknowledged.
    const acked = rec.lastCheckpoint?.packetsStored ?? 0;
    expect(acked).toBeLessThanOrEqual(sentAtKill);

    const second = await startSink(dbPath, writer);
    const reader = createSqliteStore({ path: dbPath });
    try {
      // Every acknowledged packet is on disk: the sink stores in arrival order, so they are the first `acked`.
      const seqOf = (p: Uint8Array) => ((p[2] as number) << 8) | (p[3] as number);
      const ssrcOf = (p: Uint8Array) => Buffer.from(p).readUInt32BE(8);
      const missing = packets.slice(0, acked).filter((p) => !reader.hasPacket('kill-9', ssrcOf(p), seqOf(p)));
      expect(missing).toHaveLength(0);
      // The sink died before it had everything: what it stored stops at or before what had been sent.
      const storedAtRestart = reader.countPackets('kill-9');
      expect(storedAtRestart).toBeGreaterThanOrEqual(acked);
      expect(storedAtRestart).toBeLessThanOrEqual(sentAtKill);

      await rec.reconnect(second.url);
      for (const p of packets.slice(2000)) rec.sendPacket(p);
      rec.tone(1, 20_000);
      await rec.close(32_000);

      expect(reader.countPackets('kill-9')).toBe(packets.length);
      const streams = reader.getStreams('kill-9');
      expect(streams.map((s) => s.received)).toEqual([1500, 1500]);
      expect(streams.every((s) => s.maxExtSeq === 2499 && s.minExtSeq === 1000)).toBe(true);
      expect(reader.getSegments('kill-9')).toEqual([
        { index: 0, startMs: 0, endMs: 10_000 },
        { index: 1, startMs: 12_000, endMs: 32_000 },
      ]);
      expect(reader.getRecording('kill-9')?.state).toBe('closed');
      // The sink's own death is an interruption of the recording, as a client's lost connection is.
      expect(reader.getRecording('kill-9')?.interruptions).toBe(1);
    } finally {
      reader.close();
      await kill9(second.child);
    }
  });
});
