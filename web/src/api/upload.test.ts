import { afterEach, beforeEach, vi } from 'vitest';
import { setCsrfToken, whenSignedOut } from './client';
import { ApiFailure } from './errors';
import { sendForm } from './upload';

/** Just enough of XMLHttpRequest to play a server's answer back to sendForm. */
class FakeRequest {
  static last: FakeRequest;
  headers: Record<string, string> = {};
  method = '';
  url = '';
  body: unknown;
  status = 0;
  responseText = '';
  upload: { onprogress?: (event: { lengthComputable: boolean; loaded: number; total: number }) => void } = {};
  onload?: () => void;
  onerror?: () => void;
  onabort?: () => void;
  constructor() {
    FakeRequest.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
  responseHeaders: Record<string, string> = {};
  getResponseHeader(name: string) {
    return this.responseHeaders[name] ?? null;
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
    this.onload?.();
  }
}

beforeEach(() => vi.stubGlobal('XMLHttpRequest', FakeRequest));
afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

const form = () => new FormData();

describe('sendForm', () => {
  it('posts the form with the CSRF header and reports whole percents as it goes', async () => {
    setCsrfToken('token-1');
    const seen: number[] = [];
    const sent = sendForm<{ id: string }>('/api/v1/media', form(), { onProgress: (p) => seen.push(p.percent) });
    const request = FakeRequest.last;
    expect([request.method, request.url, request.headers['x-csrf-token']]).toEqual([
      'POST',
      '/api/v1/media',
      'token-1',
    ]);
    request.upload.onprogress?.({ lengthComputable: true, loaded: 333, total: 1000 });
    request.upload.onprogress?.({ lengthComputable: true, loaded: 1000, total: 1000 });
    request.answer(202, { id: 'm-1' });
    await expect(sent).resolves.toEqual({ id: 'm-1' });
    expect(seen).toEqual([33, 100]);
  });

  it("turns a refusal into an ApiFailure carrying the server's error body", async () => {
    const sent = sendForm('/api/v1/media', form());
    const body = { statusCode: 413, error: 'Payload Too Large', message: 'The file is larger than the 200 MB limit' };
    FakeRequest.last.answer(413, body);
    const failure = await sent.catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiFailure);
    expect(failure).toMatchObject({ status: 413, body });
  });

  it('keeps Retry-After, so a refusal for going too fast says when to try again', async () => {
    const sent = sendForm('/api/v1/media', form());
    FakeRequest.last.responseHeaders['retry-after'] = '30';
    FakeRequest.last.answer(429, { statusCode: 429, error: 'Too Many Requests', message: 'Slow down' });
    await expect(sent).rejects.toMatchObject({ status: 429, retryAfterSeconds: 30 });
  });

  it('keeps the status when something other than the server answered (a proxy page)', async () => {
    const sent = sendForm('/api/v1/media', form());
    FakeRequest.last.answer(502, '<html>Bad gateway</html>');
    await expect(sent).rejects.toMatchObject({ status: 502, body: null });
  });

  it('tells the page the session is gone on a 401', async () => {
    const signedOut = vi.fn();
    whenSignedOut(signedOut);
    const sent = sendForm('/api/v1/media', form());
    FakeRequest.last.answer(401, { statusCode: 401, error: 'Unauthorized', message: 'Sign in' });
    await expect(sent).rejects.toBeInstanceOf(ApiFailure);
    expect(signedOut).toHaveBeenCalledTimes(1);
  });

  it('rejects with a TypeError when no answer came, and with an AbortError when cancelled', async () => {
    const lost = sendForm('/api/v1/media', form());
    FakeRequest.last.onerror?.();
    await expect(lost).rejects.toBeInstanceOf(TypeError);

    const controller = new AbortController();
    const cancelled = sendForm('/api/v1/media', form(), { signal: controller.signal });
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
  });
});
