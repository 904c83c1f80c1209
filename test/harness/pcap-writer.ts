/**
 * A small pcap writer (libpcap format 2.4, Ethernet link type) for UDP datagrams over IPv4, so tests can
 * hand tools like SIPp (`play_pcap_audio`) RTP the project generated. IPv4 header checksums are computed;
 * the UDP checksum is 0 (optional over IPv4; SIPp recomputes it when it replays).
 */

export interface PcapDatagram {
  /** Capture time from the first packet, ms. */
  readonly atMs: number;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payload: Uint8Array;
  readonly srcIp?: readonly [number, number, number, number];
  readonly dstIp?: readonly [number, number, number, number];
}

const LOOPBACK = [127, 0, 0, 1] as const;

function ipv4Checksum(header: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += ((header[i] as number) << 8) | (header[i + 1] as number);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export function writePcap(datagrams: readonly PcapDatagram[]): Uint8Array {
  const frames = datagrams.map((d) => 14 + 20 + 8 + d.payload.length);
  const out = new Uint8Array(24 + frames.reduce((n, f) => n + 16 + f, 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, 0xa1b2c3d4, true); // magic, microsecond timestamps, little-endian file
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setUint32(16, 65_535, true); // snaplen
  view.setUint32(20, 1, true); // LINKTYPE_ETHERNET
  let at = 24;
  for (const [i, d] of datagrams.entries()) {
    const length = frames[i] as number;
    const us = Math.round(d.atMs * 1000);
    view.setUint32(at, Math.floor(us / 1_000_000), true);
    view.setUint32(at + 4, us % 1_000_000, true);
    view.setUint32(at + 8, length, true);
    view.setUint32(at + 12, length, true);
    at += 16;
    // Ethernet: zero MACs, EtherType IPv4.
    view.setUint16(at + 12, 0x0800);
    const ip = at + 14;
    out[ip] = 0x45;
    view.setUint16(ip + 2, 20 + 8 + d.payload.length);
    view.setUint16(ip + 4, i & 0xffff);
    out[ip + 8] = 64; // TTL
    out[ip + 9] = 17; // UDP
    out.set(d.srcIp ?? LOOPBACK, ip + 12);
    out.set(d.dstIp ?? LOOPBACK, ip + 16);
    view.setUint16(ip + 10, ipv4Checksum(out.subarray(ip, ip + 20)));
    const udp = ip + 20;
    view.setUint16(udp, d.srcPort);
    view.setUint16(udp + 2, d.dstPort);
    view.setUint16(udp + 4, 8 + d.payload.length);
    out.set(d.payload, udp + 8);
    at += length;
  }
  return out;
}
