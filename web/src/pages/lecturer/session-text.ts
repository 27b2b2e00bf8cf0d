import type { Tone } from '../../components/status-tag';
import type { LecturerKey } from './messages';
import type { Session } from './queries';

export const SESSION_STATUS: Record<Session['status'], { label: LecturerKey; tone: Tone }> = {
  planned: { label: 'statusPlanned', tone: 'warn' },
  completed: { label: 'statusCompleted', tone: 'good' },
  cancelled: { label: 'statusCancelled', tone: 'idle' },
};

/** Planned sessions first, the next one at the top; then the rest, the latest first. */
export function sessionsInOrder(sessions: Session[]): Session[] {
  const planned = sessions.filter((session) => session.status === 'planned');
  const done = sessions.filter((session) => session.status !== 'planned').reverse();
  return [...planned.sort((a, b) => a.startsAt.localeCompare(b.startsAt)), ...done];
}
