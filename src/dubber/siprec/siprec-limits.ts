/** The SIPREC listener's limits (each with its unit in the name) and their defaults. */
import { DEFAULT_SIP_LIMITS, type SipLimits } from '../../protocol/sip/parse-sip.ts';

export interface SiprecLimits extends SipLimits {
  /** Recording sessions held at once (established or being answered); one more INVITE gets 503. */
  readonly maxSessions: number;
  /** INVITEs from one source address still being answered; one more gets 503 (a flood). */
  readonly maxPendingInvitesPerSource: number;
  /** The `Retry-After` of those 503s, in seconds. */
  readonly retryAfterS: number;
  /** While a session lives, the ingest core is pinged this often so a long pause is not taken as idle. */
  readonly keepaliveMs: number;
  /** A session with neither SIP nor RTP for this long ends (interrupted; the recording stays resumable). */
  readonly sessionIdleMs: number;
  /** RTP ports stay open this long after BYE, so late packets are counted instead of refused by the OS. */
  readonly rtpLingerMs: number;
}

export const DEFAULT_SIPREC_LIMITS: SiprecLimits = {
  ...DEFAULT_SIP_LIMITS,
  maxSessions: 2_000,
  maxPendingInvitesPerSource: 64,
  retryAfterS: 5,
  keepaliveMs: 60_000,
  sessionIdleMs: 60 * 60 * 1000,
  rtpLingerMs: 2_000,
};
