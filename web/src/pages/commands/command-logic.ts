import type { components, operations } from '../../api/schema.gen';
import type { Tone } from '../../components/status-tag';
import type { MessageKey } from './messages';

export type Command = components['schemas']['EndpointCommand'];
export type CommandKind = Command['kind'];
export type Delivery = components['schemas']['EndpointCommandDetail']['deliveries']['items'][number];
export type DeliveryStatus = Delivery['status'];
export type IssueBody = NonNullable<
  operations['EndpointCommandsController_issue']['requestBody']
>['content']['application/json'];

export const KIND_LABEL: Record<CommandKind, MessageKey> = {
  'set-volume': 'kindSetVolume',
  mute: 'kindMute',
  unmute: 'kindUnmute',
  restart: 'kindRestart',
  refetch: 'kindRefetch',
  'test-tone': 'kindTestTone',
};

/** In the order a delivery goes, so counts read left to right. */
export const STATUSES: DeliveryStatus[] = ['pending', 'sent', 'acknowledged', 'done', 'failed', 'expired'];

export const STATUS_LABEL: Record<DeliveryStatus, MessageKey> = {
  pending: 'statusPending',
  sent: 'statusSent',
  acknowledged: 'statusAcknowledged',
  done: 'statusDone',
  failed: 'statusFailed',
  expired: 'statusExpired',
};

export const STATUS_TONE: Record<DeliveryStatus, Tone> = {
  pending: 'idle',
  sent: 'info',
  acknowledged: 'info',
  done: 'good',
  failed: 'bad',
  expired: 'warn',
};

/** Commands whose effect shows in what the device reports of its volume: the console shows that next to them. */
export const SHOWS_VOLUME: readonly CommandKind[] = ['set-volume', 'mute', 'unmute'];

/**
 * Why an operator must confirm before a command goes out, if they must: a
 * restart cuts whatever the loudspeakers play; a whole county is every
 * loudspeaker at once.
 */
export function confirmationNeeded(
  kind: CommandKind,
  level: 'county' | 'township' | 'village' | undefined,
): 'restart' | 'county' | null {
  if (level === 'county') return 'county';
  if (kind === 'restart') return 'restart';
  return null;
}

/** The statuses a command's deliveries stand at, leaving out those none has. */
export function statusCounts(counts: Command['counts']): Array<{ status: DeliveryStatus; count: number }> {
  return STATUSES.map((status) => ({ status, count: counts[status] })).filter(({ count }) => count > 0);
}
