import { $api } from '../../api/client';

/** Volunteers sign in and out on their phones: the list follows within seconds. */
const ATTENDANCE_REFRESH_MS = 4_000;

/** A session's sign-in QR code (`/v/session/<id>?k=<key>`) and who is in, read again every few seconds while it runs. */
export function useSessionCheckin(sessionId: string, live: boolean) {
  return $api.useQuery(
    'get',
    '/api/v1/lecture-sessions/{id}/checkin',
    { params: { path: { id: sessionId } } },
    { refetchInterval: live ? ATTENDANCE_REFRESH_MS : false },
  );
}

/** The one-time link (`/v/rate/<token>`) a villager rates a delivered order with. */
export function useRatingLink(orderId: string, wanted: boolean) {
  return $api.useQuery(
    'get',
    '/api/v1/orders/{id}/rating-link',
    { params: { path: { id: orderId } } },
    { enabled: wanted },
  );
}
