/**
 * libdatachannel (libjuice ICE) through node-datachannel as a measured ICE stack: a PeerConnection bound
 * to 127.0.0.1 with no STUN/TURN server, so each agent gathers one loopback host candidate. A data channel
 * is declared only so that an offer exists; the measurement stops at ICE — an agent is ready when its ICE
 * state is `connected` — and its audio crosses the same emulated direct path on a socket of its own, as
 * DTLS/SRTP are not part of what is measured.
 */
import nodeDataChannel, { type PeerConnection } from 'node-datachannel';
import type { IceCallee, IceCaller, IceDescription, IceStack } from './ice-stack.ts';

const MID = '0';

/** The SDP without candidate lines: candidates travel apart, so the emulator can rewrite them. */
const withoutCandidates = (sdp: string): string =>
  sdp
    .split(/\r?\n/)
    .filter((l) => !l.startsWith('a=candidate:') && !l.startsWith('a=end-of-candidates'))
    .join('\r\n');

interface Agent {
  readonly pc: PeerConnection;
  /** Local SDP and candidates once gathering is complete. */
  readonly described: Promise<IceDescription>;
  readonly ready: Promise<void>;
}

function agent(name: string): Agent {
  const pc = new nodeDataChannel.PeerConnection(name, { iceServers: [], bindAddress: '127.0.0.1' });
  let sdp = '';
  const candidates: string[] = [];
  const described = new Promise<IceDescription>((resolve) => {
    pc.onLocalDescription((text) => {
      sdp = text;
    });
    pc.onLocalCandidate((candidate) => {
      candidates.push(candidate.replace(/^a=/, ''));
    });
    pc.onGatheringStateChange((state) => {
      if (state === 'complete') resolve({ opaque: withoutCandidates(sdp), candidates: [...candidates] });
    });
  });
  const ready = new Promise<void>((resolve, reject) => {
    pc.onIceStateChange((state) => {
      if (state === 'connected' || state === 'completed') resolve();
      else if (state === 'failed') reject(new Error('ICE failed'));
    });
  });
  ready.catch(() => {});
  return { pc, described, ready };
}

function endpoint(a: Agent) {
  return {
    ready: a.ready,
    carriesMedia: false,
    send: () => {},
    onPacket: () => {},
    close: async () => {
      a.pc.close();
    },
  };
}

function take(pc: PeerConnection, remote: IceDescription, type: 'offer' | 'answer'): void {
  pc.setRemoteDescription(remote.opaque, type);
  for (const c of remote.candidates) pc.addRemoteCandidate(`a=${c.replace(/^a=/, '')}`, MID);
}

export function createLibdatachannelStack(): IceStack {
  return {
    name: 'libdatachannel',
    async createCaller() {
      const a = agent('caller');
      a.pc.createDataChannel('audio');
      const offer = await a.described;
      const caller: IceCaller = { ...endpoint(a), acceptAnswer: (answer) => take(a.pc, answer, 'answer') };
      return { caller, offer };
    },
    async createCallee() {
      const a = agent('callee');
      const callee: IceCallee = {
        ...endpoint(a),
        answer: async (offer) => {
          take(a.pc, offer, 'offer');
          return a.described;
        },
      };
      return callee;
    },
    // node-datachannel's cleanup() races with peer connections still closing on libdatachannel's threads
    // (it crashed the process in 2 runs of 6 here), so it is not called: `callrec delay --measure` exits
    // the process when it is done, which ends those threads.
    dispose: async () => {},
  };
}
