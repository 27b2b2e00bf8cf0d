import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { $api } from '../../api/client';
import { isLive, type Alert, type AlertStatus } from './approval';

/** While receipts arrive, every 2 s: the watch officer sees each loudspeaker answer. */
export const LIVE_POLL_MS = 2_000;
/** A draft changes when someone else approves or cancels it; the queue when someone drafts. */
const WAITING_POLL_MS = 5_000;

const pollFor = (status: AlertStatus | undefined) =>
  isLive(status) ? LIVE_POLL_MS : status === 'draft' ? WAITING_POLL_MS : false;

export function useAlerts(status?: AlertStatus) {
  return $api.useQuery(
    'get',
    '/api/v1/emergencies',
    { params: { query: status ? { status } : {} } },
    { refetchInterval: WAITING_POLL_MS },
  );
}

export function useAlert(id: string) {
  return $api.useQuery(
    'get',
    '/api/v1/emergencies/{id}',
    { params: { path: { id } } },
    { refetchInterval: (query) => pollFor(query.state.data?.status) },
  );
}

export function useDelivery(alert: Alert) {
  return $api.useQuery(
    'get',
    '/api/v1/emergencies/{id}/delivery',
    { params: { path: { id: alert.id } } },
    { enabled: alert.status !== 'draft', refetchInterval: isLive(alert.status) ? LIVE_POLL_MS : false },
  );
}

export function useAuditTrail(alert: Alert, enabled: boolean) {
  return $api.useQuery(
    'get',
    '/api/v1/audit',
    { params: { query: { entity: 'emergency', id: alert.id } } },
    { enabled, refetchInterval: pollFor(alert.status) },
  );
}

/** The alert's spoken audio: an alert drafted from text is approvable once its speech is ready. */
export function useAudio(mediaId: string, enabled = true) {
  return $api.useQuery(
    'get',
    '/api/v1/media/{id}',
    { params: { path: { id: mediaId } } },
    { enabled, refetchInterval: (query) => (query.state.data?.status === 'processing' ? LIVE_POLL_MS : false) },
  );
}

/** After an approval, a cancellation or an import, every view of alerts shows it at once. */
export function useRefreshAlerts(): () => Promise<void> {
  const queries = useQueryClient();
  return useCallback(
    () =>
      queries.invalidateQueries({
        predicate: ({ queryKey }) =>
          String(queryKey[1]).startsWith('/api/v1/emergencies') || queryKey[1] === '/api/v1/audit',
      }),
    [queries],
  );
}
