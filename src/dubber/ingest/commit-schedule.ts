/**
 * When a connection's gathered audio is committed, and what a checkpoint may then promise.
 *
 * Audio gathers per recording and commits every `mediaCommitFrames` frames (1 = every frame). The
 * recordings of a connection take turns — a slice of them every few frames, offset per connection by
 * `commitPhase` — so each commit is small and the event loop is never blocked long. Control messages
 * seal their recording's audio into the queued writes (it commits with them); a ping or the end of the
 * session commits everything.
 *
 * Durability: a checkpoint's `frames` covers only frames whose packets are all stored, so the oldest
 * frame still gathering bounds it; its `clientseq` is the last client message applied by the commit.
 * Both are marked when a commit starts and become durable when it has finished.
 */

/** Frames between two commits of a connection's gathered audio (each commits a slice of its recordings). */
export const COMMIT_SLICE_FRAMES = 5;

export interface CommitScheduleOptions {
  readonly mediaCommitFrames: number;
  /** Spreads the commits of many connections over different frames (default 0). */
  readonly commitPhase?: number;
}

export interface CommitSchedule<R> {
  /** Gives the next recording opened on the connection its commit slot. */
  admit(rec: R): void;
  /** `rec` received (or rejected) packets in `frame`; the first such frame bounds durability. */
  gathered(rec: R, frame: number): void;
  isGathering(rec: R): boolean;
  /** Recordings with audio not yet committed. */
  readonly gatheringCount: number;
  /** `frame` ended: the recordings whose slot it is become due. True when a commit should be requested. */
  frameEnded(frame: number): boolean;
  /** `rec`'s audio was sealed into a queued write: it commits with that write, not on its own. */
  sealed(rec: R): void;
  /** The next commit applies every recording's audio (a ping, or the session is ending). */
  commitAll(): void;
  /** The recordings whose audio the commit in progress applies; they stop gathering. */
  take(): readonly R[];
  /** The frames all of whose packets the commit in progress stores, of `framesReceived`. */
  durableFrames(framesReceived: number): number;
  /** Forgets everything gathered (storage failed: it was never durable). */
  clear(): void;
}

export function createCommitSchedule<R>(options: CommitScheduleOptions): CommitSchedule<R> {
  const commitEvery = Math.max(1, Math.floor(options.mediaCommitFrames));
  const commitPhase = (options.commitPhase ?? 0) % commitEvery;
  // The recordings take turns in slices, one slice every COMMIT_SLICE_FRAMES frames: small commits block
  // the event loop briefly, and are not so many that each one's fixed cost dominates (docs/live-load.md).
  const commitSlices = Math.max(1, Math.round(commitEvery / COMMIT_SLICE_FRAMES));
  const commitStep = Math.max(1, Math.floor(commitEvery / commitSlices));
  /** Recordings by commit slot: slot s commits at frames n with n mod commitEvery = s. */
  const slots: R[][] = Array.from({ length: commitEvery }, () => []);
  /** Recordings that gathered audio since their last commit, with the first frame that did. */
  const gathering = new Map<R, number>();
  /** Gathering recordings whose turn to commit has come. */
  const due = new Set<R>();
  let all = false;
  let opened = 0;
  return {
    admit(rec) {
      (slots[((opened % commitSlices) * commitStep + commitPhase) % commitEvery] as R[]).push(rec);
      opened += 1;
    },
    gathered(rec, frame) {
      if (!gathering.has(rec)) gathering.set(rec, frame);
    },
    isGathering: (rec) => gathering.has(rec),
    get gatheringCount() {
      return gathering.size;
    },
    frameEnded(frame) {
      for (const rec of slots[frame % commitEvery] as R[]) if (gathering.has(rec)) due.add(rec);
      // Committing every frame (the default) commits even a frame with nothing to store.
      return due.size > 0 || commitEvery === 1;
    },
    sealed(rec) {
      gathering.delete(rec);
      due.delete(rec);
    },
    commitAll() {
      all = true;
    },
    take() {
      const taken = all ? [...gathering.keys()] : [...due];
      for (const rec of taken) gathering.delete(rec);
      due.clear();
      all = false;
      return taken;
    },
    durableFrames(framesReceived) {
      let frames = framesReceived;
      for (const since of gathering.values()) frames = Math.min(frames, since - 1);
      return frames;
    },
    clear() {
      gathering.clear();
      due.clear();
    },
  };
}

/** What the previous checkpoint told the client, and what the commit in progress will make durable. */
export interface DurabilityMarks {
  /** A commit starts: it stores the client messages up to `seq` and the first `frames` frames. */
  mark(seq: number, frames: number): void;
  /** The marked commit finished. */
  committed(): void;
  readonly durableSeq: number;
  readonly durableFrames: number;
  /** Enough newly durable frames since the last checkpoint for a media-only one. */
  checkpointDue(): boolean;
  /** A checkpoint with `durableFrames` was sent. */
  checkpointed(): void;
}

export function createDurabilityMarks(checkpointEveryFrames: number): DurabilityMarks {
  let markedSeq = 0;
  let markedFrames = 0;
  let durableSeq = 0;
  let durableFrames = 0;
  let checkpointedFrames = 0;
  return {
    mark(seq, frames) {
      markedSeq = seq;
      markedFrames = frames;
    },
    committed() {
      durableSeq = markedSeq;
      durableFrames = markedFrames;
    },
    get durableSeq() {
      return durableSeq;
    },
    get durableFrames() {
      return durableFrames;
    },
    checkpointDue: () => durableFrames - checkpointedFrames >= checkpointEveryFrames,
    checkpointed() {
      checkpointedFrames = durableFrames;
    },
  };
}
