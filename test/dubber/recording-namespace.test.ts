/**
 * Recording ids belong to their organisation: an organisation opening an id another organisation already
 * uses learns nothing about it and is not blocked — it gets its own recording under that id, and neither
 * touches the other's audio, connection or portal view.
 */
import { describe, expect, it } from 'vitest';
import {
  ACME_KEY,
  dubPointOf,
  GLOBEX_KEY,
  interleave,
  REMOTE_SSRC,
  rtpStream,
  USER_SSRC,
} from '../harness/helpers.ts';
import { createHarness } from './session-harness.ts';

const carol = { userId: 'carol', orgId: 'globex', dubPoint: dubPointOf('carol', 'globex') };

describe('recording ids per organisation', () => {
  it('lets globex open an id acme already recorded under, as its own new recording', () => {
    const h = createHarness();
    const acme = h.connect(ACME_KEY);
    acme.open({ id: 'shared-id' });
    acme.frame(interleave(rtpStream(USER_SSRC, 5), rtpStream(REMOTE_SSRC, 5)));
    h.flush();

    const globex = h.connect(GLOBEX_KEY);
    globex.open({ id: 'shared-id', ...carol });
    h.flush();
    const everything = JSON.stringify(globex.received);
    expect(everything).not.toMatch(/another organisation|acme|alice/);
    expect(globex.errors()).toEqual([]);
    expect(globex.ofType('opened')[0]?.parameters).toMatchObject({ resumed: false, packets: 0 });
    globex.frame(interleave(rtpStream(USER_SSRC, 3), rtpStream(REMOTE_SSRC, 3)));
    globex.send('close', 100);
    h.flush();

    // acme's connection carries on: not superseded, its recording untouched.
    expect(acme.closed).toBeUndefined();
    acme.send('close', 100);
    h.flush();
    expect(acme.ofType('closed')).toHaveLength(1);

    const alice = h.provisioning.issueToken({ orgId: 'acme', userId: 'alice' });
    const carolToken = h.provisioning.issueToken({ orgId: 'globex', userId: 'carol' });
    expect(h.portal.get(alice, 'shared-id')).toMatchObject({
      recordingId: 'shared-id',
      userId: 'alice',
      orgId: 'acme',
    });
    expect(h.portal.get(carolToken, 'shared-id')).toMatchObject({
      recordingId: 'shared-id',
      userId: 'carol',
      orgId: 'globex',
    });
    expect(h.portal.get(alice, 'shared-id').streams.map((s) => s.packets)).toEqual([5, 5]);
    expect(h.portal.get(carolToken, 'shared-id').streams.map((s) => s.packets)).toEqual([3, 3]);
    expect(h.portal.list(carolToken).map((r) => r.recordingId)).toEqual(['shared-id']);
    expect(h.portal.list(alice).map((r) => r.recordingId)).toEqual(['shared-id']);
  });

  it('resumes each organisation’s own recording under the shared id', () => {
    const h = createHarness();
    const acme = h.connect(ACME_KEY);
    acme.open({ id: 'again' });
    acme.frame(interleave(rtpStream(USER_SSRC, 4), rtpStream(REMOTE_SSRC, 4)));
    h.flush();
    const globex = h.connect(GLOBEX_KEY);
    globex.open({ id: 'again', ...carol });
    h.flush();
    globex.session.onTransportClosed();
    h.flush();
    const back = h.connect(GLOBEX_KEY);
    back.open({ id: 'again', ...carol });
    h.flush();
    expect(back.ofType('opened')[0]?.parameters).toMatchObject({ resumed: true, packets: 0 });
    expect(acme.closed).toBeUndefined();
  });
});
