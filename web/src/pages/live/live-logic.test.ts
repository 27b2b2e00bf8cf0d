import { ApiFailure } from '../../api/errors';
import type { LiveSession } from './live-api';
import { afterClose, endReasonText, ingestSocketUrl, liveFirst, mayEnd, startFailure } from './live-logic';

const session = (over: Partial<LiveSession>): LiveSession => ({
  id: 's',
  title: '防汛通知',
  regionCodes: ['520628001000'],
  scopeCode: '520628001000',
  priority: 'normal',
  status: 'ended',
  startedBy: { id: 'u1', username: 'op' },
  endedBy: null,
  createdAt: '2026-12-02T09:00:00Z',
  liveAt: null,
  endedAt: null,
  endReason: null,
  durationMs: null,
  recordingMediaId: null,
  lectureSessionId: null,
  receipts: { played: 0, interrupted: 0, failed: 0 },
  ...over,
});

describe('why a live session ended, in words', () => {
  it('names each reason the server gives in Chinese and in English', () => {
    expect(endReasonText('source-lost', 'zh-CN')).toBe('连接中断');
    expect(endReasonText('max-length', 'zh-CN')).toBe('达到最长时长');
    expect(endReasonText('stream-failed', 'zh-CN')).toBe('播出服务器故障');
    expect(endReasonText('approver', 'zh-CN')).toBe('审核员结束');
    expect(endReasonText('server-restarted', 'en')).toBe('the server restarted');
  });

  it('still shows a reason it does not know, as the server named it', () => {
    expect(endReasonText('cosmic-rays', 'zh-CN')).toBe('其他原因（cosmic-rays）');
  });
});

describe('the audio socket', () => {
  it('opens on the page’s own host, wss:// from an HTTPS page and ws:// otherwise', () => {
    const path = '/api/v1/live-sessions/s/audio?token=abc';
    expect(ingestSocketUrl(path, { protocol: 'https:', host: 'dalaba.example.cn' })).toBe(
      'wss://dalaba.example.cn/api/v1/live-sessions/s/audio?token=abc',
    );
    expect(ingestSocketUrl(path, { protocol: 'http:', host: '127.0.0.1:3000' })).toBe(
      'ws://127.0.0.1:3000/api/v1/live-sessions/s/audio?token=abc',
    );
  });

  const dropped = { serverEnded: false, droppedAt: 1_000, now: 1_000, graceMs: 10_000, attempt: 0 };

  it('reconnects after a network drop, quickly first and then backing off to at most two seconds', () => {
    expect(afterClose(1006, dropped)).toEqual({ action: 'reconnect', delayMs: 250 });
    expect(afterClose(1006, { ...dropped, attempt: 2 })).toEqual({ action: 'reconnect', delayMs: 1_000 });
    expect(afterClose(1006, { ...dropped, attempt: 6 })).toEqual({ action: 'reconnect', delayMs: 2_000 });
  });

  it('never waits past the grace period, and gives up once it has passed since the drop', () => {
    expect(afterClose(1006, { ...dropped, now: 10_500, attempt: 6 })).toEqual({ action: 'reconnect', delayMs: 500 });
    expect(afterClose(1006, { ...dropped, now: 11_000 })).toEqual({ action: 'give-up' });
  });

  it('does not retry what the server ended or refused for good', () => {
    expect(afterClose(1000, { ...dropped, serverEnded: true })).toEqual({ action: 'ended' });
    expect(afterClose(4410, dropped)).toEqual({ action: 'ended' });
    expect(afterClose(4401, dropped)).toEqual({ action: 'refused', refusal: 'badToken' });
    expect(afterClose(4403, dropped)).toEqual({ action: 'refused', refusal: 'foreignOrigin' });
  });

  it('stops when a newer connection of the same session took over (4000), rather than taking it back', () => {
    expect(afterClose(4000, dropped)).toEqual({ action: 'refused', refusal: 'taken' });
  });

  it('retries while another server carries the session (4409), a refusal only past the grace period', () => {
    expect(afterClose(4409, dropped)).toEqual({ action: 'reconnect', delayMs: 250 });
    expect(afterClose(4409, { ...dropped, now: 11_000 })).toEqual({ action: 'refused', refusal: 'taken' });
  });
});

describe('the list of sessions', () => {
  it('puts what is on air first, each group newest first', () => {
    const sessions = [
      session({ id: 'old-ended', createdAt: '2026-12-01T09:00:00Z' }),
      session({ id: 'live', status: 'live', createdAt: '2026-12-01T08:00:00Z' }),
      session({ id: 'new-ended', createdAt: '2026-12-02T09:00:00Z' }),
      session({ id: 'starting', status: 'starting', createdAt: '2026-12-02T10:00:00Z' }),
    ];
    expect(liveFirst(sessions).map((s) => s.id)).toEqual(['starting', 'live', 'new-ended', 'old-ended']);
  });

  it('offers 结束 to the speaker on their own live session and to an approver on any', () => {
    const live = session({ status: 'live' });
    expect(mayEnd(live, { id: 'u1' }, false)).toBe(true);
    expect(mayEnd(live, { id: 'u2' }, false)).toBe(false);
    expect(mayEnd(live, { id: 'u2' }, true)).toBe(true);
    expect(mayEnd(session({}), { id: 'u1' }, true)).toBe(false);
    expect(mayEnd(live, null, false)).toBe(false);
  });
});

describe('a refused start', () => {
  const refused = (status: number, message: string) =>
    new ApiFailure(status, { statusCode: status, error: 'x', message, requestId: 'r1' });

  it('says a region is already live in Chinese, with the server’s sentence beneath', () => {
    const text = startFailure(refused(409, 'region 520628001000 is live'), 'zh-CN');
    expect(text.title).toBe('所选区域正在喊话');
    expect(text.lines).toEqual(['服务器说明：region 520628001000 is live']);
    expect(text.requestId).toBe('r1');
  });

  it('says a region outside the scope is not allowed, and Icecast missing is unavailable', () => {
    expect(startFailure(refused(403, 'outside your scope'), 'zh-CN').title).toBe('没有权限');
    expect(startFailure(refused(503, 'no icecast'), 'zh-CN').title).toBe('实时喊话暂不可用');
  });
});
