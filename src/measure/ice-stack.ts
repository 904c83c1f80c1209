/**
 * What the measurement needs from an ICE implementation: the caller offers, the callee answers (at answer
 * time, which starts its checks), the caller takes the answer, and each side says when it lets media flow.
 * Descriptions carry candidate lines in SDP form (`candidate:… <host> <port> typ …`) so the WAN emulator
 * can rewrite every address to its relay's face.
 */

export interface IceDescription {
  /** Stack-specific text (credentials, or a whole SDP) passed through unchanged. */
  readonly opaque: string;
  /** `candidate:` attribute values, as `a=candidate:` would carry them (without the `a=`). */
  readonly candidates: readonly string[];
}

export interface IceEndpoint {
  /** Resolves when this agent lets media flow (werift: `connect()` returned; libdatachannel: ICE connected). */
  readonly ready: Promise<void>;
  /** Whether `send` goes over the ICE-selected path (else the measurement uses a media socket of its own). */
  readonly carriesMedia: boolean;
  send(packet: Buffer): void;
  onPacket(listener: (packet: Buffer) => void): void;
  close(): Promise<void>;
}

export interface IceCaller extends IceEndpoint {
  /** Takes the callee's (rewritten) answer and starts checking. */
  acceptAnswer(answer: IceDescription): void;
}

export interface IceCallee extends IceEndpoint {
  /** Takes the caller's (rewritten) offer at answer time, starts checking, and gives the answer. */
  answer(offer: IceDescription): Promise<IceDescription>;
}

export interface IceStack {
  readonly name: IceStackName;
  /** Gathers (before the call is answered) and gives the offer. */
  createCaller(): Promise<{ caller: IceCaller; offer: IceDescription }>;
  createCallee(): Promise<IceCallee>;
  /** Releases what the stack holds process-wide (libdatachannel's threads). */
  dispose(): Promise<void>;
}

export const ICE_STACK_NAMES = ['werift', 'libdatachannel'] as const;
export type IceStackName = (typeof ICE_STACK_NAMES)[number];

/** The host and port of an SDP candidate line (`foundation component transport priority host port typ …`). */
export function candidateAddress(line: string): { address: string; port: number } | undefined {
  const parts = line.replace(/^a=/, '').split(/\s+/);
  if (parts.length < 8 || parts[6] !== 'typ') return undefined;
  const port = Number(parts[5]);
  if (!Number.isInteger(port)) return undefined;
  return { address: parts[4] as string, port };
}

/** The same candidate line with its address replaced (the relay face the peer must use). */
export function rewriteCandidate(line: string, to: { address: string; port: number }): string {
  const prefix = line.startsWith('a=') ? 'a=' : '';
  const parts = line.replace(/^a=/, '').split(/\s+/);
  parts[4] = to.address;
  parts[5] = String(to.port);
  return prefix + parts.join(' ');
}
