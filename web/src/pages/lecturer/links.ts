import { useQuery } from '@tanstack/react-query';
import { failure } from '../../api/client';
import type { ErrorBody } from '../../api/errors';

/** Who signed in at a session by its QR code, and when they left. */
export interface Attendance {
  volunteerId: string;
  name: string;
  signedInAt: string;
  signedOutAt: string | null;
}

/** A session's sign-in QR code (`/v/session/<id>?k=<key>`) and who is in. */
export interface SessionCheckin {
  url: string;
  attendance: Attendance[];
}

/** The one-time link (`/v/rate/<token>`) a villager rates a delivered order with. */
export interface RatingLink {
  url: string;
  token: string;
}

/**
 * A GET of a route the generated client does not know yet (its branch has
 * not landed): the same cookie and the same refusal as the typed client.
 * Replaced by `api.GET` once schema.gen.ts has the route.
 */
async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as ErrorBody | null;
    throw failure(path, response.status, body, response.headers.get('retry-after'));
  }
  return (await response.json()) as T;
}

/** Volunteers sign in and out on their phones: the list follows within seconds. */
const ATTENDANCE_REFRESH_MS = 4_000;

export function useSessionCheckin(sessionId: string, live: boolean) {
  return useQuery({
    queryKey: ['get', '/api/v1/sessions/{id}/checkin', sessionId],
    queryFn: () => getJson<SessionCheckin>(`/api/v1/sessions/${encodeURIComponent(sessionId)}/checkin`),
    refetchInterval: live ? ATTENDANCE_REFRESH_MS : false,
  });
}

export function useRatingLink(orderId: string | null, wanted: boolean) {
  return useQuery({
    queryKey: ['get', '/api/v1/orders/{id}/rating-link', orderId],
    queryFn: () => getJson<RatingLink>(`/api/v1/orders/${encodeURIComponent(orderId!)}/rating-link`),
    enabled: wanted && !!orderId,
  });
}
