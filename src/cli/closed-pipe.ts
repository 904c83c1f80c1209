/**
 * `callrec machine --table | head -1`: once the reader has what it wants it closes the pipe, and the next
 * write fails with EPIPE. That is the reader's choice, not an error: end quietly with exit 0.
 */
import { EXIT } from './exit-codes.ts';

export function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(EXIT.ok);
      throw error;
    });
  }
}
