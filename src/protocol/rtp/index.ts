/** RTP receive statistics (RFC 3550). */
export * from './rtp-receive-stats.ts';
