/**
 * The input itself is unusable: retrying cannot help, and the reason is shown
 * to the person who uploaded it, so it is written for them.
 */
export class MediaRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'MediaRejected';
  }
}

// Failures of the machine rather than the file: a killed or timed-out process,
// a full disk, exhausted memory or file handles. Worth retrying later.
const TRANSIENT = [
  /killed with signal/i,
  /ran into a timeout/i,
  /no space left on device|ENOSPC/i,
  /cannot allocate memory|ENOMEM/i,
  /too many open files|EMFILE|ENFILE/i,
  /resource temporarily unavailable|EAGAIN/i,
];

export function isTransientFailure(message: string): boolean {
  return TRANSIENT.some((pattern) => pattern.test(message));
}
