import type { AnyStateMachine, AnyStateNode } from 'xstate';

/**
 * What each state of the call machine means, in the words of the call semantics: a readable title, an
 * XState `description` and `tags` (the API `recordingState` the state reports, and whether media goes
 * to the recorder). `describeStates` puts them on the machine's state nodes, so `callMachine` carries them
 * and the generated docs/call-machine.md shows them; a test fails when a state has no entry.
 */

export interface StateDoc {
  /** A short readable name for diagrams (`Asking the recorder`). */
  readonly title: string;
  readonly description: string;
  readonly tags?: readonly string[];
}

/** Tags used on states; `api:<state>` is the Webex API recordingState the state reports. */
export const STATE_TAGS = {
  media: 'media: audio goes to the recorder (unless held)',
  provisional: 'provisional: captured, kept only if the user starts (On Demand, S21)',
  toneTime: 'tone-time: counts towards the repeat tone (S29)',
} as const;

export const STATE_DOCS: Readonly<Record<string, StateDoc>> = {
  setup: {
    title: 'Ringing',
    description: 'The call is being set up; nothing is recorded and no user control works yet.',
    tags: ['api:none'],
  },
  live: {
    title: 'Call live',
    description: 'The call is answered: the phase, the recorder and the recording run side by side.',
  },
  'live.phase': { title: 'Call phase', description: 'Whether the call is connected or on hold.' },
  'live.phase.connected': { title: 'Connected', description: 'Both parties talk; media flows if recording.' },
  'live.phase.held': {
    title: 'On hold',
    description: 'No media flows and no tone time counts; a start waits for the resume.',
  },
  'live.recorder': {
    title: 'Recorder link',
    description: "Whether Dubber's recorder (SIPREC) is reachable right now.",
  },
  'live.recorder.deciding': {
    title: 'Checking the recorder',
    description: 'Transient: goes to up or down from the call input.',
  },
  'live.recorder.up': {
    title: 'Recorder reachable',
    description: 'The recorder answers requests (after answerMs, within the wait).',
  },
  'live.recorder.down': {
    title: 'Recorder unreachable',
    description: 'Requests are not answered; the failure behaviour applies when the wait ends.',
  },
  'live.recording': {
    title: 'Recording',
    description: 'The recording behaviour of the user\u2019s mode (S20\u2013S23, S28).',
  },
  'live.recording.deciding': {
    title: 'Choosing by mode',
    description:
      'Transient: Always modes ask the recorder, On Demand captures provisionally, others stay off.',
  },
  'live.recording.off': {
    title: 'Not recording',
    description: 'Nothing is recorded; On Demand modes may start.',
    tags: ['api:none'],
  },
  'live.recording.waitingForUnhold': {
    title: 'Start waits for resume',
    description: 'The user pressed start while the call was held: pending until the call is resumed.',
    tags: ['api:pending'],
  },
  'live.recording.connecting': {
    title: 'Asking the recorder',
    description:
      'The recorder is asked; recording starts when it answers, the failure behaviour applies after the wait. Reports pending (none for On Demand\u2019s provisional capture the user has not started).',
    tags: ['api:pending'],
  },
  'live.recording.provisional': {
    title: 'Capturing provisionally',
    description:
      'On Demand: media is captured from connect and kept only if the user starts before the call ends (S21).',
    tags: ['api:none', 'media', 'provisional'],
  },
  'live.recording.recording': {
    title: 'Recording',
    description: 'Media goes to Dubber on two streams (S32); the user may pause or stop as the mode allows.',
    tags: ['api:started', 'media'],
  },
  'live.recording.recording.deciding': {
    title: 'Held or not',
    description: 'Transient: muted when the call is held, audible otherwise.',
  },
  'live.recording.recording.audible': {
    title: 'Tone time running',
    description:
      'Recording with the call not held: tone time counts and the repeat tone plays each interval (S29).',
    tags: ['tone-time'],
  },
  'live.recording.recording.muted': {
    title: 'Tone time stopped',
    description: 'Recording but held: no media, no tone time.',
  },
  'live.recording.paused': {
    title: 'Paused',
    description: 'The user paused: a gap in the recording, no media, no tone time (S21, S23).',
    tags: ['api:paused'],
  },
  'live.recording.stopped': {
    title: 'Stopped',
    description:
      'Stopped by the user (User Requested) or by a recorder lost mid-recording (Failure); a start begins a new recording.',
    tags: ['api:stopped'],
  },
  'live.recording.failed': {
    title: 'Failed',
    description: 'The recorder did not answer within the wait; the failure behaviour was applied.',
    tags: ['api:failed'],
  },
  ended: { title: 'Ended', description: 'The call is over; the recordingState at hang-up is frozen.' },
};

/** What each guard asks, for the glossary in docs/call-machine.md. */
export const GUARD_DOCS: Readonly<Record<string, string>> = {
  autoRecords:
    'The mode records every call by itself: Always or Always with Pause/Resume (S22, S23), or a voicemail call with voicemail recording on (S28).',
  capturesOnDemand:
    'The mode is On Demand (not User Initiated Start): capture from connect, keep only if started (S21).',
  mayStart: 'The mode lets the user start and stop: On Demand or On Demand with User Initiated Start (S21).',
  mayStartWhileHeld: 'The user may start and the call is on hold: the start waits, pending, for the resume.',
  mayStop: 'The mode lets the user stop (On Demand modes only; Always with Pause/Resume may not, S23).',
  mayPause:
    'The mode lets the user pause and resume: On Demand modes and Always with Pause/Resume (S21, S23).',
  isHeld: 'The call is on hold right now.',
  recorderWasUp: 'The recorder was reachable when the call went live.',
  recorderAnswers: 'The recorder is up when its answer is due and answers within the org\u2019s wait.',
  recorderAnswersProvisionally:
    'The recorder answers and the capture is On Demand\u2019s provisional one the user has not yet started.',
  mayKeepProvisional: 'A provisional capture is connecting and the user has not yet asked to keep it.',
  retransmissionInTime:
    'The recorder was down when its answer came due and is back: over UDP the platform\u2019s next INVITE retransmission (T1 = 500 ms, doubling) reaches it, and that answer lands within the wait.',
  recorderUpProvisionally:
    'The recorder is up and the capture is On Demand\u2019s provisional one the user has not yet asked to keep.',
  endsCallOnFailure: 'The org\u2019s failure behaviour is END_CALL_WITH_ANNOUNCEMENT.',
  repeatToneOn: 'The repeat tone is switched on (S29).',
};

/** Puts the docs above on the machine's state nodes (XState `description` and `tags`), by state path. */
export function describeStates<T extends AnyStateMachine>(machine: T): T {
  const visit = (node: AnyStateNode) => {
    const path = node.path.join('.');
    const doc = STATE_DOCS[path];
    if (doc !== undefined) {
      node.description = doc.description;
      node.tags = [...new Set([...node.tags, ...(doc.tags ?? [])])];
    }
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root);
  return machine;
}
