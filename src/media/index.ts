/** The media pipeline's public surface: recorded streams, heard mix, RTP, codecs, audio, network, queue. */
export type { AudioSource, PartySources } from './audio-source.ts';
export { createSilenceSource } from './audio-source.ts';
export type { BoundedQueue, BoundedQueueStats } from './bounded-queue.ts';
export { createBoundedQueue, pipeIntoQueue } from './bounded-queue.ts';
export type { CallMedia, CallMediaFromLogOptions } from './call-media.ts';
export { createCallMedia, createCallMediaFromLog } from './call-media.ts';
export { createEventReplay$, orderCallLog } from './event-replay.ts';
export type { G711FrameEncoder, G711Law } from './g711.ts';
export {
  alawToLinear,
  createG711Encoder,
  decodeG711,
  encodeG711,
  linearToAlaw,
  linearToMulaw,
  mulawToLinear,
  PAYLOAD_TYPE,
} from './g711.ts';
export { goertzelAmplitude } from './goertzel.ts';
export type { HeardFrame, HeardMixOptions } from './heard-mix.ts';
export { createHeardMix$ } from './heard-mix.ts';
export type { Impairment, ImpairmentCounters, ImpairmentOptions } from './impairments.ts';
export { createImpairment } from './impairments.ts';

export * from './media-format.ts';
export type { GateEffect, GatePhase, GateState } from './media-gate.ts';
export { applyMediaAction, INITIAL_GATE, isGateLive } from './media-gate.ts';
export type { MediaItem, MediaMarker, MediaPacket } from './media-packet.ts';
export { isMediaMarker, isMediaPacket } from './media-packet.ts';
export type { PromptPlayback, PromptSound, PromptSoundSpec } from './prompt-sounds.ts';
export { PROMPT_SOUNDS } from './prompt-sounds.ts';
export type { RecordedStreams, RecordedStreamsOptions } from './recorded-streams.ts';
export { createRecordedStreams } from './recorded-streams.ts';
export type {
  CallRecordingPlan,
  MediaInterval,
  PausePoint,
  RecordingPlan,
  RecordingPlanOptions,
} from './recording-plan.ts';
export { computeRecordingPlan, packetSlotsIn } from './recording-plan.ts';
export { sequenceDistance } from './rtp-packet.ts';
export type { RtpPacketiser, RtpPacketiserOptions, WrittenPacket } from './rtp-packetiser.ts';
export { createRtpPacketiser } from './rtp-packetiser.ts';
export type { Conversation, TalkSpurt } from './speech-source.ts';
export { createConversation, SPEECH_MAX_HZ } from './speech-source.ts';
export type { StreamIdentities, StreamIdentity } from './stream-identity.ts';
export { createStreamIdentities } from './stream-identity.ts';
export type { WavAudio } from './wav.ts';
export { encodeWav, parseWav } from './wav.ts';
export type { WavSourceOptions } from './wav-source.ts';
export { createWavSource } from './wav-source.ts';
