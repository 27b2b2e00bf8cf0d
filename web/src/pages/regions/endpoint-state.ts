import type { components } from '../../api/schema.gen';
import type { Tone } from '../../components/status-tag';

export type Endpoint = components['schemas']['Endpoint'];

/**
 * What an operator calls a loudspeaker's state: revoked and not yet installed
 * come before online, which only means something for an enrolled device.
 */
export function endpointState(endpoint: Pick<Endpoint, 'status' | 'online'>): {
  label: 'online' | 'offline' | 'awaiting' | 'revoked';
  tone: Tone;
} {
  if (endpoint.status === 'revoked') return { label: 'revoked', tone: 'bad' };
  if (endpoint.status === 'awaiting_enrollment') return { label: 'awaiting', tone: 'info' };
  return endpoint.online ? { label: 'online', tone: 'good' } : { label: 'offline', tone: 'idle' };
}
