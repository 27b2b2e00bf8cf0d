/**
 * BullMQ's close waits for Redis to confirm; while Redis is down that is
 * forever. Give it a grace period (for active jobs to finish), then drop the
 * connections, so a process can always shut down.
 */
export async function closeGracefully(
  target: { close(): Promise<void>; disconnect(): Promise<void> },
  graceMs: number,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = target.close().then(
    () => true,
    () => false,
  );
  const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
  const cleanly = await Promise.race([closed, expired]);
  clearTimeout(timer);
  // Not awaited: with Redis gone, even the disconnect may wait on it.
  if (!cleanly) void target.disconnect().catch(() => undefined);
}
