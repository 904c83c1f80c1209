/**
 * The sink protocol's JSON control messages as zod schemas (modelled on Genesys AudioHook): a common
 * envelope `{version, id, type, seq, position, parameters}` and closed discriminated unions of the
 * client → server and server → client types. docs/sink-protocol.md describes each one.
 */
import { z } from 'zod';
import { DUBBER_PRODUCTS } from '../domain/platform-info.ts';
import { parsePositionMs } from './position.ts';

export const PROTOCOL_VERSION = '1';

/** Recording ids travel in URLs and file names, so they are kept to a safe alphabet. */
export const recordingIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/);
export const positionSchema = z
  .string()
  .refine((s) => parsePositionMs(s) !== undefined, 'not "PT<seconds>S"');
const identifier = z.string().min(1).max(256);
const seqSchema = z
  .int()
  .min(1)
  .max(2 ** 31 - 1);

export const dubPointSchema = z.object({
  product: z.enum(DUBBER_PRODUCTS),
  externalType: identifier,
  serviceProvider: identifier,
  externalGroup: identifier,
  externalIdentifier: identifier,
});

/** Label 1 is the recorded user, label 2 the remote party (SIPREC, S32). */
export const STREAM_LABELS = { user: 1, remote: 2 } as const;
export const MEDIA_FORMATS = ['PCMU', 'PCMA'] as const;
export type MediaFormat = (typeof MEDIA_FORMATS)[number];
export const MEDIA_RATE_HZ = 8000;

/** Validated loosely here; `checkMediaOffer` gives the precise SINK_ERR_UNSUPPORTED_MEDIA reason. */
export const mediaOfferSchema = z.object({
  format: z.string().max(32),
  rate: z.number(),
  streams: z.array(z.object({ ssrc: z.int().min(0).max(0xffffffff), label: z.int() })).max(8),
});

export const openParametersSchema = z.object({
  orgId: identifier,
  userId: identifier,
  dubPoint: dubPointSchema,
  direction: z.enum(['inbound', 'outbound']),
  remote: z.object({ type: z.enum(['internal', 'pstn']), address: z.string().max(128).optional() }),
  media: mediaOfferSchema,
  /**
   * On the first `open` of a connection: carry several recordings on it (distinct ids, packets routed by
   * SSRC). Older sinks ignore the field; docs/sink-protocol.md, "Multiplexed connections".
   */
  multiplex: z.boolean().optional(),
});

export const ANNOUNCEMENT_KINDS = ['start', 'stop', 'pause', 'resume'] as const;
const empty = z.object({}).default({});

const clientBase = {
  version: z.literal(PROTOCOL_VERSION),
  id: recordingIdSchema,
  seq: seqSchema,
  position: positionSchema,
};

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ ...clientBase, type: z.literal('open'), parameters: openParametersSchema }),
  z.object({ ...clientBase, type: z.literal('paused'), parameters: empty }),
  z.object({ ...clientBase, type: z.literal('resumed'), parameters: empty }),
  z.object({
    ...clientBase,
    type: z.literal('announcement'),
    // S26/S32: Webex tells Dubber an announcement was played; S27: it may be a beep.
    parameters: z.object({
      kind: z.enum(ANNOUNCEMENT_KINDS),
      sound: z.enum(['announcement', 'beep']).default('announcement'),
    }),
  }),
  z.object({
    ...clientBase,
    type: z.literal('tone'),
    parameters: z.object({ index: z.int().min(1).max(1_000_000) }),
  }),
  z.object({
    ...clientBase,
    type: z.literal('discarded'),
    parameters: z.object({ reason: z.string().max(256).optional() }).default({}),
  }),
  z.object({ ...clientBase, type: z.literal('ping'), parameters: empty }),
  z.object({
    ...clientBase,
    type: z.literal('close'),
    parameters: z
      .object({ reason: z.enum(['end', 'stopped', 'failure']).default('end') })
      .default({ reason: 'end' }),
  }),
  z.object({
    ...clientBase,
    type: z.literal('error'),
    parameters: z.object({ code: z.string().min(1).max(64), message: z.string().max(1024) }),
  }),
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];
export type ClientMessageOf<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>;
export type OpenParameters = z.infer<typeof openParametersSchema>;
export type MediaOffer = z.infer<typeof mediaOfferSchema>;
export const CLIENT_MESSAGE_TYPES: readonly ClientMessageType[] = clientMessageSchema.options.map(
  (o) => o.shape.type.value,
);

export const RECORDING_STATES = ['active', 'paused', 'closed', 'discarded'] as const;
export type RecordingState = (typeof RECORDING_STATES)[number];

const checkpointParameters = z.object({
  /** Binary frames of this connection that are durably stored. */
  frames: z.int().min(0),
  /** Packets stored for the whole recording (after dedupe). */
  packets: z.int().min(0),
});

const serverBase = {
  version: z.literal(PROTOCOL_VERSION),
  id: z.string(),
  seq: seqSchema,
  /** The last client seq the server has processed (for `checkpoint`: durably applied). */
  clientseq: z.int().min(0),
  position: positionSchema,
};

export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({
    ...serverBase,
    type: z.literal('opened'),
    parameters: z.object({
      resumed: z.boolean(),
      state: z.enum(RECORDING_STATES),
      media: mediaOfferSchema,
      packets: z.int().min(0),
    }),
  }),
  z.object({ ...serverBase, type: z.literal('pong'), parameters: empty }),
  z.object({ ...serverBase, type: z.literal('checkpoint'), parameters: checkpointParameters }),
  z.object({
    ...serverBase,
    type: z.literal('closed'),
    parameters: z.object({ state: z.enum(RECORDING_STATES) }),
  }),
  z.object({
    ...serverBase,
    type: z.literal('disconnect'),
    parameters: z.object({ reason: z.string(), message: z.string() }),
  }),
  z.object({
    ...serverBase,
    type: z.literal('error'),
    parameters: z.object({
      code: z.string(),
      message: z.string(),
      fatal: z.boolean(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
]);

export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type ServerMessageType = ServerMessage['type'];
export type ServerMessageOf<T extends ServerMessageType> = Extract<ServerMessage, { type: T }>;
