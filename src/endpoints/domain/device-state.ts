// What a loudspeaker's reports mean to the people who keep the county covered (pure).

export type ReportedState = 'idle' | 'playing' | 'fault';

/** How the map shows a loudspeaker (a revoked one is not on it: it serves nobody). */
export type MapState = 'online' | 'offline' | 'fault' | 'playing' | 'never-enrolled';

export interface EndpointFacts {
  enrolledAt: Date | null;
  revokedAt: Date | null;
  lastSeenAt: Date | null;
  state: ReportedState | null;
  /** Older devices say only this. */
  playing: boolean | null;
}

/** The moment a heartbeat must be newer than for its device to count as online (ENDPOINT_ONLINE_SECONDS). */
export const onlineSince = (onlineSeconds: number, now = Date.now()) => new Date(now - onlineSeconds * 1000);

/** Online: a recent heartbeat from a device not revoked (a revoked one's last beat may be recent). */
export function isOnline(endpoint: Pick<EndpointFacts, 'revokedAt' | 'lastSeenAt'>, onlineSince: Date): boolean {
  return !endpoint.revokedAt && endpoint.lastSeenAt !== null && endpoint.lastSeenAt >= onlineSince;
}

/**
 * Offline outranks fault and playing: what an offline device last said is old
 * news, and "go and look" is the same either way (its open fault is still listed).
 */
export function mapState(endpoint: EndpointFacts, onlineSince: Date): MapState | null {
  if (endpoint.revokedAt) return null;
  if (!endpoint.enrolledAt) return 'never-enrolled';
  if (!isOnline(endpoint, onlineSince)) return 'offline';
  if (endpoint.state === 'fault') return 'fault';
  if (endpoint.state === 'playing' || (endpoint.state === null && endpoint.playing)) return 'playing';
  return 'online';
}

export interface SilentEndpoint {
  id: string;
  name: string;
  regionCode: string;
  lastSeenAt: Date;
}

export interface OutageGroup<E extends SilentEndpoint = SilentEndpoint> {
  regionCode: string;
  /** The earliest last heartbeat among them: with the region, what names this outage once. */
  since: Date;
  endpoints: E[];
}

/**
 * One notice per place per sweep, not one per loudspeaker: when a village or a
 * township loses power, its loudspeakers go silent together, and a technician
 * needs one message naming them all, not a hundred.
 */
export function groupOutages<E extends SilentEndpoint>(endpoints: E[]): Array<OutageGroup<E>> {
  const groups = new Map<string, E[]>();
  for (const endpoint of endpoints)
    groups.set(endpoint.regionCode, [...(groups.get(endpoint.regionCode) ?? []), endpoint]);
  return [...groups].map(([regionCode, members]) => {
    const sorted = [...members].sort(
      (a, b) => a.lastSeenAt.getTime() - b.lastSeenAt.getTime() || a.name.localeCompare(b.name),
    );
    return { regionCode, since: sorted[0].lastSeenAt, endpoints: sorted };
  });
}

/** The dedup key of an outage: the same place silent since the same moment is one notice. */
export const outageKey = (group: Pick<OutageGroup, 'regionCode' | 'since'>) =>
  `endpoint-offline:${group.regionCode}:${group.since.toISOString()}`;

export const faultKey = (faultId: string) => `endpoint-fault:${faultId}`;

const NAMED_AT_MOST = 10;

/** How the notice names a place's silent loudspeakers (the first ten, then how many more). */
export function outageText(group: OutageGroup, place: string, since: string, minutes: number) {
  const names = group.endpoints.slice(0, NAMED_AT_MOST).map((endpoint) => `“${endpoint.name}”`);
  const more = group.endpoints.length - names.length;
  const count = group.endpoints.length;
  return {
    title: `${place} ${count} 个喇叭离线`,
    body:
      `${place}的喇叭${names.join('、')}${more > 0 ? `等 ${count} 个` : ''}已超过 ${minutes} 分钟没有心跳` +
      `（最早 ${since} 起）。请检查供电和网络。`,
  };
}

export function faultText(fault: { code: string; text: string }, endpointName: string, place: string, since: string) {
  return {
    title: `${place}喇叭“${endpointName}”故障`,
    body: `${place}的喇叭“${endpointName}”${since}起报告故障：${fault.text || fault.code}（故障码 ${fault.code}）。`,
  };
}
