/**
 * A recording resumed on a sink that started after its last connection was carried (the sink was killed or
 * restarted) counts one interruption, exactly as a client's lost connection does; a lost connection seen by
 * the running sink is counted once, not again on resume.
 */
import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/dubber/store/sqlite/sqlite-store.ts';
import { rtpStream, USER_SSRC } from '../harness/helpers.ts';
import { createHarness } from './session-harness.ts';

describe('interruptions across sink restarts', () => {
  it('counts one interruption when a recording is resumed on a restarted sink', () => {
    const store = createSqliteStore({ path: ':memory:' });
    try {
      const before = createHarness({}, { store });
      const first = before.connect();
      first.open({ id: 'through-restart' });
      first.frame(rtpStream(USER_SSRC, 5));
      before.flush();
      // The sink dies here: no close, no transport event reaches any session.
      const after = createHarness({}, { store });
      const second = after.connect();
      second.open({ id: 'through-restart' });
      after.flush();
      expect(second.ofType('opened')[0]?.parameters).toMatchObject({ resumed: true, packets: 5 });
      second.send('close', 200);
      after.flush();
      expect(store.getRecording('through-restart')).toMatchObject({ state: 'closed', interruptions: 1 });
    } finally {
      store.close();
    }
  });

  it('counts a lost client connection once, not again when it resumes on the same sink', () => {
    const h = createHarness();
    const first = h.connect();
    first.open({ id: 'client-drop' });
    h.flush();
    first.session.onTransportClosed();
    h.flush();
    const second = h.connect();
    second.open({ id: 'client-drop' });
    second.send('close', 100);
    h.flush();
    expect(h.store.getRecording('client-drop')).toMatchObject({ state: 'closed', interruptions: 1 });
  });
});
