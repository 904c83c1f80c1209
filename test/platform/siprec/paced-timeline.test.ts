/**
 * The timeline that paces a recording's RTP and controls by their own times, on the virtual clock (live
 * it is the real clock): each item runs when the clock reaches origin + its time, same-time items in the
 * order given, one timer pending at a time; and the recorder target's parsing.
 */
import { describe, expect, it } from 'vitest';
import { playTimeline } from '../../../src/platform/siprec/paced-timeline.ts';
import { parseSipTarget } from '../../../src/platform/siprec/socket-recorder-client.ts';
import { createVirtualClock } from '../../../src/time/index.ts';

describe('playTimeline', () => {
  it('runs every 20 ms packet at its own time, controls in between, and resolves at the end', async () => {
    const clock = createVirtualClock();
    clock.advanceTo(1_000);
    const ran: string[] = [];
    const items = [
      { atMs: 40, run: () => ran.push(`p3@${clock.nowMs()}`) },
      { atMs: 0, run: () => ran.push(`p1@${clock.nowMs()}`) },
      { atMs: 20, run: () => ran.push(`p2@${clock.nowMs()}`) },
      { atMs: 20, run: () => ran.push(`pause@${clock.nowMs()}`) },
    ];
    const timeline = playTimeline(clock, items);
    expect(ran).toEqual(['p1@1000']);
    expect(clock.pendingCount()).toBe(1);
    clock.advanceBy(19);
    expect(ran).toEqual(['p1@1000']);
    clock.advanceBy(1);
    expect(ran).toEqual(['p1@1000', 'p2@1020', 'pause@1020']);
    clock.advanceBy(100);
    await timeline.done;
    expect(ran).toEqual(['p1@1000', 'p2@1020', 'pause@1020', 'p3@1040']);
    expect(timeline.ran).toBe(4);
    expect(clock.pendingCount()).toBe(0);
  });

  it('cancel stops what is not yet due', async () => {
    const clock = createVirtualClock();
    const ran: number[] = [];
    const timeline = playTimeline(
      clock,
      [0, 20, 40].map((atMs) => ({ atMs, run: () => ran.push(atMs) })),
    );
    clock.advanceBy(20);
    timeline.cancel();
    clock.advanceBy(100);
    await timeline.done;
    expect(ran).toEqual([0, 20]);
    expect(clock.pendingCount()).toBe(0);
  });
});

describe('parseSipTarget', () => {
  it('reads host and port, 5060 by default, IPv6 in brackets', () => {
    expect(parseSipTarget('sip:srs@127.0.0.1:5080')).toEqual({ host: '127.0.0.1', port: 5080 });
    expect(parseSipTarget('sip:recorder.example.com;transport=tcp')).toEqual({
      host: 'recorder.example.com',
      port: 5060,
    });
    expect(parseSipTarget('sip:[::1]:5062')).toEqual({ host: '::1', port: 5062 });
  });

  it('refuses what is not a SIP URI with a message saying the form', () => {
    expect(() => parseSipTarget('http://127.0.0.1:5060')).toThrow(/sip:host:port/);
    expect(() => parseSipTarget('sip:127.0.0.1:70000')).toThrow(/sip:host:port/);
  });
});
