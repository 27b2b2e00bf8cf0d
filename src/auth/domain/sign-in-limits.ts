// How failed sign-ins slow down whoever makes them. Pure: the counting lives
// in LoginThrottle, which keeps it in Redis so every API process agrees.

export interface LockoutPolicy {
  /** Failures before the first lockout. */
  maxFailures: number;
  /** The first lockout; each further failure doubles it. */
  lockoutSeconds: number;
  maxLockoutSeconds: number;
}

/** How long to lock after the `failures`-th failure in a row (0: not yet). */
export function lockoutAfter(failures: number, policy: LockoutPolicy): number {
  if (failures < policy.maxFailures) return 0;
  const doublings = Math.min(failures - policy.maxFailures, 30);
  return Math.min(policy.lockoutSeconds * 2 ** doublings, policy.maxLockoutSeconds);
}

/**
 * Failures are forgotten after twice the longest lockout without one, so a
 * guesser who waits out the longest lockout is locked that long again at the
 * next failure rather than granted a fresh allowance.
 */
export const failureMemorySeconds = (policy: LockoutPolicy) => 2 * policy.maxLockoutSeconds;

/**
 * Whose failures count together for an address: an IPv4 address, or an IPv6
 * /64 (one subscriber's network, which hands its hosts any address in it).
 */
export function addressBucket(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!address.includes(':')) return address;
  const [head, tail = ''] = address.toLowerCase().split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
