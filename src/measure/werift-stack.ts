/**
 * werift-ice 0.2.3 as a measured ICE stack: one loopback host candidate per agent, no STUN server (its
 * constructor otherwise falls back to a public one), no IPv6. Media goes over the selected pair with
 * `send()`, which werift allows only once `connect()` has returned.
 */
import { Candidate, Connection } from 'werift-ice';
import { SimError } from '../errors.ts';
import type { IceCallee, IceCaller, IceDescription, IceStack } from './ice-stack.ts';

const LOOPBACK = '127.0.0.1';

/** A werift-ice agent on loopback only, with no STUN server (nothing leaves the machine). */
export function loopbackWeriftAgent(controlling: boolean): Connection {
  const c = new Connection(controlling, {
    useIpv4: false,
    useIpv6: false,
    additionalHostAddresses: [LOOPBACK],
    interfaceAddresses: { udp4: LOOPBACK },
  });
  // The constructor falls back to a public STUN server when none is given; clear it so nothing leaves.
  Object.assign(c, { stunServer: undefined });
  return c;
}

function describe(c: Connection): IceDescription {
  return {
    opaque: JSON.stringify({ ufrag: c.localUsername, pwd: c.localPassword }),
    candidates: c.localCandidates.map((k) => k.toSdp()),
  };
}

async function takeRemote(c: Connection, remote: IceDescription): Promise<void> {
  const { ufrag, pwd } = JSON.parse(remote.opaque) as { ufrag: string; pwd: string };
  c.setRemoteParams({ iceLite: false, usernameFragment: ufrag, password: pwd });
  for (const line of remote.candidates) await c.addRemoteCandidate(Candidate.fromSdp(line));
  await c.addRemoteCandidate(undefined);
}

function endpoint(c: Connection, started: Promise<void>) {
  const ready = started.then(() => c.connect());
  // The measurement reads `ready`; an unobserved failure must not surface as an unhandled rejection.
  ready.catch(() => {});
  return {
    ready,
    carriesMedia: true,
    send: (packet: Buffer) => {
      c.send(packet).catch(() => {});
    },
    onPacket: (listener: (packet: Buffer) => void) => {
      c.onData.subscribe(listener);
    },
    close: () => c.close(),
  };
}

export function createWeriftStack(): IceStack {
  return {
    name: 'werift',
    async createCaller() {
      const c = loopbackWeriftAgent(true);
      await c.gatherCandidates();
      if (c.localCandidates.length === 0)
        throw new SimError('SIM_ERR_INTERNAL', 'werift-ice gathered no loopback candidate.');
      let take: (answer: IceDescription) => void = () => {};
      const started = new Promise<void>((resolve, reject) => {
        take = (answer) => takeRemote(c, answer).then(resolve, reject);
      });
      const caller: IceCaller = { ...endpoint(c, started), acceptAnswer: (answer) => take(answer) };
      return { caller, offer: describe(c) };
    },
    async createCallee() {
      const c = loopbackWeriftAgent(false);
      await c.gatherCandidates();
      let take: (offer: IceDescription) => Promise<void> = async () => {};
      const started = new Promise<void>((resolve, reject) => {
        take = async (offer) => {
          try {
            await takeRemote(c, offer);
            resolve();
          } catch (e) {
            reject(e);
            throw e;
          }
        };
      });
      const callee: IceCallee = {
        ...endpoint(c, started),
        answer: async (offer) => {
          await take(offer);
          return describe(c);
        },
      };
      return callee;
    },
    dispose: async () => {},
  };
}
