// The rules of remote commands to endpoints (docs/device-protocol.md, "Commands"), with no framework.

/** What an operator may tell a loudspeaker to do. A device that does not know a kind reports it failed, "unsupported". */
export const COMMAND_KINDS = ['set-volume', 'mute', 'unmute', 'restart', 'refetch', 'test-tone'] as const;
export type CommandKind = (typeof COMMAND_KINDS)[number];

/** Where one device's copy of a command stands, in the order it normally goes. */
export const DELIVERY_STATUSES = ['pending', 'sent', 'acknowledged', 'done', 'failed', 'expired'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** What a device may report of a command. */
export type ReportedStatus = 'acknowledged' | 'done' | 'failed';

/** Past these, nothing changes: no report is taken and nothing is sent. */
export const FINISHED: readonly DeliveryStatus[] = ['done', 'failed', 'expired'];
/** Sent (again) on every resend tick and when the device connects: it has not said it got the command. */
export const UNACKNOWLEDGED: readonly DeliveryStatus[] = ['pending', 'sent'];
/** Not finished: these become expired when the command expires. */
export const OPEN: readonly DeliveryStatus[] = ['pending', 'sent', 'acknowledged'];

/** Counts per status, every status present. */
export type StatusCounts = Record<DeliveryStatus, number>;

export function statusCounts(rows: Array<{ status: DeliveryStatus; count: number }>): StatusCounts {
  const counts = Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, 0])) as StatusCounts;
  for (const { status, count } of rows) counts[status] += count;
  return counts;
}

/**
 * When a command issued at `issuedAt` expires: after the lifetime the operator
 * asked for, or the default one. Null when the asked lifetime is over the maximum.
 */
export function expiryOf(
  issuedAt: Date,
  askedMinutes: number | undefined,
  limits: { defaultMinutes: number; maxMinutes: number },
): Date | null {
  const minutes = askedMinutes ?? limits.defaultMinutes;
  if (minutes > limits.maxMinutes) return null;
  return new Date(issuedAt.getTime() + minutes * 60_000);
}

/**
 * What a device's report does to its delivery: the status it reported (so a
 * repeated acknowledgement changes nothing), or `finished` when the delivery
 * is past taking reports: done, failed, or expired, including one whose
 * command expired before the sweep got to it.
 */
export function applyReport(
  current: DeliveryStatus,
  reported: ReportedStatus,
  expired: boolean,
): { status: DeliveryStatus } | 'finished' {
  if (FINISHED.includes(current) || expired) return 'finished';
  return { status: reported };
}
