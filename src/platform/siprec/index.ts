/** The platform's SIPREC client (SRC): the socket-free core, RTP sender, timeline pacing, the socket shell. */
export { type PacedTimeline, playTimeline, type TimelineItem } from './paced-timeline.ts';
export {
  type RecordingTimeline,
  recordingTimeline,
  type TimelineAnnouncement,
  type TimelinePacket,
} from './recording-timeline.ts';
export {
  createSiprecRecorderClient,
  parseSipTarget,
  type SiprecRecorderClient,
  type SiprecRecorderClientOptions,
} from './socket-recorder-client.ts';
export { createSiprecSrcCore, DEFAULT_RECORDER_WAIT_MS, type SiprecSrcCore } from './src-core.ts';
export type * from './src-types.ts';
