/**
 * The session hub with a media writer (media-writer.ts), driven by hand: a writer that holds each job
 * until the test completes or fails it. What a client would notice: no checkpoint, pong or closed is sent
 * before the commit that covers it, a message that arrives while audio is being written is answered by
 * its own later commit (with every packet counted), and a failed write makes the client resend rather
 * than losing the audio to dedupe.
 */
import { describe, expect, it } from 'vitest';
import {
  createChunkPool,
  createMediaJob,
  type MediaJob,
} from '../../../src/dubber/store/sqlite/media-job.ts';
import type { MediaWriter } from '../../../src/dubber/store/sqlite/media-writer.ts';
import { interleave, REMOTE_SSRC, rtpStream, USER_SSRC } from '../../harness/helpers.ts';
import { createHarness } from '../session-harness.ts';

function heldWriter() {
  const pool = createChunkPool();
  let inFlight: { readonly job: MediaJob; readonly done: (error: Error | undefined) => void } | undefined;
  const jobs: MediaJob[] = [];
  let drains = 0;
  let healthy = true;
  const complete = (error?: Error): void => {
    const held = inFlight;
    if (held === undefined) throw new Error('no job in flight');
    inFlight = undefined;
    held.done(error);
  };
  const writer: MediaWriter = {
    get busy() {
      return inFlight !== undefined;
    },
    get healthy() {
      return healthy;
    },
    createJob: () => createMediaJob(pool),
    submit(job, done) {
      jobs.push(job);
      inFlight = { job, done };
    },
    drainSync() {
      if (inFlight === undefined) return;
      drains += 1;
      complete();
    },
    stop: async () => {},
  };
  return {
    writer,
    jobs,
    complete,
    get drains() {
      return drains;
    },
    /** The writer thread died or stalled (MediaWriter.healthy). */
    fail() {
      healthy = false;
    },
  };
}

/** A connection with rec-1 open and created (on this thread), and a writer that holds each job. */
function openWithHeldWriter(limits: Parameters<typeof createHarness>[0] = {}) {
  const held = heldWriter();
  const h = createHarness(limits, { mediaWriter: held.writer });
  const c = h.connect();
  c.open();
  h.flush();
  return { held, h, c };
}

/** Both streams, packets [from, from + count), with seqs and timestamps continuing. */
const audio = (from: number, count: number) =>
  interleave(
    rtpStream(USER_SSRC, count, 100 + from, 16_000 + from * 160),
    rtpStream(REMOTE_SSRC, count, 100 + from, 16_000 + from * 160),
  );

describe('session hub with a media writer', () => {
  it('defers a commit that only stores audio, and checkpoints it only once the writer has committed', () => {
    const { held, h, c } = openWithHeldWriter({ checkpointEveryFrames: 1 });
    expect(held.jobs).toHaveLength(0); // the recording was created on this thread: not audio only
    c.frame(audio(0, 5));
    h.flushSoon();
    expect(held.jobs).toHaveLength(1);
    expect(held.jobs[0]).toMatchObject({ runCount: 2, statsCount: 2 });
    expect(c.ofType('checkpoint')).toHaveLength(0); // nothing promised before the writer commits
    held.complete();
    expect(c.ofType('checkpoint').at(-1)?.parameters).toEqual({ frames: 1, packets: 10 });
    expect(h.hub.writerCommits).toBe(1);
  });

  it('answers a ping that arrives while audio is written only after the commit that applies it', () => {
    const { held, h, c } = openWithHeldWriter();
    c.frame(audio(0, 5));
    h.flushSoon();
    c.frame(audio(5, 5));
    c.send('ping', 0);
    h.flushSoon(); // the writer is busy: this commit waits for it
    expect(held.jobs).toHaveLength(1);
    held.complete();
    expect(c.ofType('pong')).toHaveLength(0);
    h.flushSoon();
    expect(held.jobs).toHaveLength(2);
    held.complete();
    expect(c.ofType('pong')).toHaveLength(1);
    expect(c.ofType('checkpoint').at(-1)?.parameters).toEqual({ frames: 2, packets: 20 });
  });

  it('sends closed, with every packet, after the close is committed, not with the audio in flight before it', () => {
    const { held, h, c } = openWithHeldWriter();
    c.frame(audio(0, 5));
    h.flushSoon();
    c.frame(audio(5, 5));
    c.send('close', 200);
    h.flushSoon();
    held.complete();
    expect(c.ofType('closed')).toHaveLength(0);
    // The close is not audio only: committed on this thread, with the audio sealed before it.
    h.flushSoon();
    expect(held.jobs).toHaveLength(1);
    expect(c.ofType('closed')).toHaveLength(1);
    expect(c.ofType('checkpoint').at(-1)?.parameters).toEqual({ frames: 2, packets: 20 });
    expect(h.store.getRecording('rec-1')?.state).toBe('closed');
  });

  it('a failed write ends the connection with SINK_ERR_STORAGE, and the resent audio is stored, not taken for a duplicate', () => {
    const { held, h, c: first } = openWithHeldWriter();
    first.frame(audio(0, 5));
    h.flushSoon();
    held.complete(new Error('disk full'));
    expect(first.errors()).toEqual(['SINK_ERR_STORAGE']);
    expect(first.closed).toBeDefined();
    expect(first.ofType('checkpoint')).toHaveLength(0);

    const second = h.connect();
    second.open();
    second.frame(audio(0, 5));
    h.flush(); // on this thread, so the store holds what was resent
    expect(h.store.countPackets('rec-1')).toBe(10);
    expect(h.store.getStreams('rec-1').map((s) => s.received)).toEqual([5, 5]);
  });

  it('a recording reopened while audio is being written waits for that write before reading the store', () => {
    const { held, h, c: first } = openWithHeldWriter({ checkpointEveryFrames: 1 });
    first.frame(audio(0, 5));
    h.flushSoon();
    const second = h.connect();
    second.open();
    expect(held.drains).toBe(1);
    expect(first.ofType('checkpoint').at(-1)?.parameters).toEqual({ frames: 1, packets: 10 });
  });

  it('a writer that died or stalled gets no more audio: commits stay on this thread and are still acknowledged', () => {
    const { held, h, c } = openWithHeldWriter({ checkpointEveryFrames: 1 });
    c.frame(audio(0, 5));
    h.flushSoon();
    held.complete();
    held.fail();
    c.frame(audio(5, 5));
    h.flushSoon();
    expect(held.jobs).toHaveLength(1);
    expect(c.ofType('checkpoint').at(-1)?.parameters).toEqual({ frames: 2, packets: 20 });
    expect(h.store.countPackets('rec-1')).toBe(10); // the held writer never wrote the first job
  });
});
