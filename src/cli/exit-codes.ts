/** Process exit codes of `callrec` (documented in README and `--help`). */
export const EXIT = {
  /** Everything ran and every expectation held. */
  ok: 0,
  /** A scenario expectation failed, or a run could not complete. */
  failed: 1,
  /** Invalid input or usage: bad flags, malformed scenario or settings. */
  usage: 2,
  /** A bug in the simulator itself. */
  internal: 70,
} as const;
