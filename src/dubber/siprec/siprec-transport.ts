/**
 * What the SIPREC session adapter needs from a network, as an interface: send a SIP message to a peer,
 * open and close an RTP receive port. The socket shell (siprec-shell.ts) implements it with node:dgram and
 * node:net; tests and virtual-time replays implement it in memory, so the adapter runs without sockets.
 */

/** Where a SIP message came from and where its answers go (UDP: the datagram's source; TCP: its connection). */
export interface SipPeer {
  readonly transport: 'udp' | 'tcp';
  readonly address: string;
  readonly port: number;
  /** The stream connection it arrived on (TCP only); answers go back on it. */
  readonly connectionId?: number;
}

/** One RTP datagram's source. */
export interface RtpSource {
  readonly address: string;
  readonly port: number;
}

/** An open RTP receive port; `close` releases it (later datagrams to it never reach the adapter). */
export interface RtpPort {
  readonly port: number;
  close(): void;
}

export interface SiprecTransport {
  /** Sends one serialised SIP message (a response, here) to the peer. */
  sendSip(peer: SipPeer, bytes: Uint8Array): void;
  /** Opens a receive port on the media address; each datagram arriving on it is given to `onDatagram`. */
  openRtpPort(onDatagram: (datagram: Uint8Array, from: RtpSource) => void): Promise<RtpPort>;
}
