// Whether a county's link to its upper platform is up: the upper platform
// answered the last package sent (any answer, even a refusal, means it is
// there), and that was within three heartbeats.
export type LinkStatus = 'up' | 'down' | 'unknown';

const MISSED_HEARTBEATS = 3;

export function linkStatus(
  link: { enabled: boolean; heartbeatSeconds: number; linkCheckedAt: Date | null; linkUpAt: Date | null },
  now: Date,
): LinkStatus {
  if (!link.enabled || !link.linkCheckedAt) return 'unknown';
  const answeredLast = link.linkUpAt !== null && link.linkUpAt >= link.linkCheckedAt;
  const fresh =
    link.linkUpAt !== null &&
    now.getTime() - link.linkUpAt.getTime() <= MISSED_HEARTBEATS * link.heartbeatSeconds * 1000;
  return answeredLast && fresh ? 'up' : 'down';
}
