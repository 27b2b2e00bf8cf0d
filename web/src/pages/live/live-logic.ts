import { ApiFailure, describeFailure, type FailureText } from '../../api/errors';
import type { Locale } from '../../i18n/i18n';
import type { SignedInUser } from '../../session/session';
import type { LiveSession } from './live-api';
import { liveMessages, type LiveMessage } from './messages';

const REASON_KEY: Record<string, LiveMessage> = {
  operator: 'reasonOperator',
  approver: 'reasonApprover',
  'source-lost': 'reasonSourceLost',
  'max-length': 'reasonMaxLength',
  'stream-failed': 'reasonStreamFailed',
  'bad-audio': 'reasonBadAudio',
  'no-audio': 'reasonNoAudio',
  'server-restarted': 'reasonServerRestarted',
};

/** Why a session ended, in words: a reason the console does not know yet is still shown, as the server named it. */
export function endReasonText(reason: string | null | undefined, locale: Locale): string {
  const text = liveMessages[locale];
  if (!reason) return text.reasonOther.replace('{reason}', '—');
  const key = REASON_KEY[reason];
  return key ? text[key] : text.reasonOther.replace('{reason}', reason);
}

/**
 * The audio socket's address: the server answers `ingestUrl` as a path on its
 * own host, and a page served over HTTPS may only open wss://.
 */
export function ingestSocketUrl(ingestUrl: string, page: { protocol: string; host: string }): string {
  if (/^wss?:\/\//.test(ingestUrl)) return ingestUrl;
  return `${page.protocol === 'https:' ? 'wss' : 'ws'}://${page.host}${ingestUrl}`;
}

/**
 * The server's default LIVE_GRACE_SECONDS: how long the page keeps reconnecting
 * after a drop. Past it the server has ended the session (as source-lost) and a
 * reconnection would be refused with 4410 anyway.
 */
export const LIVE_GRACE_SECONDS = 10;

/** Close codes the audio socket's server uses besides 1000 (after its `ended` status). */
export const CLOSE_CODES = { badToken: 4401, foreignOrigin: 4403, taken: 4409, ended: 4410 } as const;
export type Refusal = Exclude<keyof typeof CLOSE_CODES, 'ended'>;
/** The server closed this socket because a newer connection of the same session (another tab, another device) took over. */
const REPLACED = 4000;

export type AfterClose =
  | { action: 'ended' }
  | { action: 'refused'; refusal: Refusal }
  | { action: 'reconnect'; delayMs: number }
  | { action: 'give-up' };

/** The first retry is quick (a blip), later ones back off but never past two seconds: the grace is short. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 2_000;

/**
 * What to do when the audio socket closes. The server says when the session
 * is over (an `ended` status, or 4410); a bad token (4401) or a foreign page
 * (4403) will not change by retrying. Anything else is the network, and the
 * same URL continues the session if it reconnects within the grace period,
 * counted from the drop. 4409 (another API process carries the session) is
 * retried too, as a load balancer may send the next attempt elsewhere; it is
 * a refusal only if it lasts the whole grace period. 4000 says a newer
 * connection of the same session took over: this one stops.
 */
export function afterClose(
  code: number,
  state: { serverEnded: boolean; droppedAt: number; now: number; graceMs: number; attempt: number },
): AfterClose {
  if (state.serverEnded || code === CLOSE_CODES.ended) return { action: 'ended' };
  if (code === CLOSE_CODES.badToken) return { action: 'refused', refusal: 'badToken' };
  if (code === CLOSE_CODES.foreignOrigin) return { action: 'refused', refusal: 'foreignOrigin' };
  // Taking it back would take it from the newer one, which would take it back in turn.
  if (code === REPLACED) return { action: 'refused', refusal: 'taken' };
  const left = state.droppedAt + state.graceMs - state.now;
  if (left <= 0) return code === CLOSE_CODES.taken ? { action: 'refused', refusal: 'taken' } : { action: 'give-up' };
  return { action: 'reconnect', delayMs: Math.min(FIRST_RETRY_MS * 2 ** state.attempt, MAX_RETRY_MS, left) };
}

const LIVE_STATUSES = new Set<LiveSession['status']>(['starting', 'live']);

export const isOpen = (session: Pick<LiveSession, 'status'>) => LIVE_STATUSES.has(session.status);

/** Live sessions first (what is on air now matters most), each group newest first. */
export function liveFirst(sessions: LiveSession[]): LiveSession[] {
  return [...sessions].sort(
    (a, b) => Number(isOpen(b)) - Number(isOpen(a)) || Date.parse(b.createdAt) - Date.parse(a.createdAt),
  );
}

/** Its speaker may end their own session; whoever may end any (approvers, admins) any live one in scope. */
export function mayEnd(session: LiveSession, user: Pick<SignedInUser, 'id'> | null, endsAny: boolean): boolean {
  if (!user || !isOpen(session)) return false;
  return endsAny || session.startedBy.id === user.id;
}

/**
 * A refused start in words: a region already live and Icecast missing get
 * this page's own sentence; the rest (403 outside the user's scope…) the
 * console's. The server's sentence stays beneath for support.
 */
export function startFailure(error: unknown, locale: Locale): FailureText {
  const text = describeFailure(error, locale);
  if (!(error instanceof ApiFailure)) return text;
  const words = liveMessages[locale];
  if (error.status === 409) return { ...text, title: words.conflictTitle, action: words.conflictAction };
  if (error.status === 503) return { ...text, title: words.unavailableTitle, action: words.unavailableAction };
  return text;
}
