import { $api } from '../../api/client';
import type { LiveSession } from './live-api';
import { isOpen } from './live-logic';

/** While someone is on air the list follows them closely; otherwise a new session elsewhere shows within 10 s. */
const LIVE_POLL_MS = 3_000;
const IDLE_POLL_MS = 10_000;
const PROCESSING_POLL_MS = 2_000;
/** Reasons after which no recording is made: nothing usable arrived. */
const NO_RECORDING = new Set(['no-audio', 'bad-audio']);

export function useLiveSessions() {
  return $api.useQuery(
    'get',
    '/api/v1/live-sessions',
    {},
    { refetchInterval: (query) => (query.state.data?.items.some(isOpen) ? LIVE_POLL_MS : IDLE_POLL_MS) },
  );
}

export const awaitsRecording = (session: LiveSession) =>
  session.status === 'ended' && !session.recordingMediaId && !NO_RECORDING.has(session.endReason ?? '');

/** One session, read again until its recording exists (the recording is made once it has ended). */
export function useLiveSession(session: LiveSession) {
  return $api.useQuery(
    'get',
    '/api/v1/live-sessions/{id}',
    { params: { path: { id: session.id } } },
    {
      initialData: session,
      refetchInterval: (query) => (!query.state.data || awaitsRecording(query.state.data) ? PROCESSING_POLL_MS : false),
    },
  );
}

/** The recording as a medium, followed through the media pipeline until it is ready (or failed). */
export function useRecordingMedia(id: string) {
  return $api.useQuery(
    'get',
    '/api/v1/media/{id}',
    { params: { path: { id } } },
    { refetchInterval: (query) => (query.state.data?.status === 'processing' ? PROCESSING_POLL_MS : false) },
  );
}
