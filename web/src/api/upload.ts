import { csrfHeaders, failure } from './client';
import type { ErrorBody } from './errors';

export interface UploadProgress {
  /** Bytes of the request body sent so far. */
  sent: number;
  total: number;
  /** 0–100, whole numbers. */
  percent: number;
}

export interface SendFormOptions {
  onProgress?: (progress: UploadProgress) => void;
  /** Aborting stops the transfer; the promise then rejects with an AbortError. */
  signal?: AbortSignal;
}

/** The server's error shape, or null when something else answered (a proxy's HTML page). */
function errorBody(text: string): ErrorBody | null {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null && 'message' in body ? (body as ErrorBody) : null;
  } catch {
    return null;
  }
}

/**
 * POSTs a multipart form and reports how much of it has been sent. The one
 * place the console uses XMLHttpRequest: fetch cannot tell upload progress,
 * and an operator sending a long recording over a township's line needs to
 * see it move. Like the API client it sends the session cookie and the CSRF
 * header, and a refusal becomes an ApiFailure (a 401 ends the session in the
 * page); a request that never got an answer rejects with a TypeError, as
 * fetch does, so it is told as a network problem.
 */
export function sendForm<T>(path: string, form: FormData, options: SendFormOptions = {}): Promise<T> {
  const { onProgress, signal } = options;
  return new Promise<T>((resolve, reject) => {
    const aborted = () => new DOMException('The upload was cancelled', 'AbortError');
    if (signal?.aborted) return reject(aborted());
    const request = new XMLHttpRequest();
    request.open('POST', path);
    // Same origin only (withCredentials stays false): the session cookie goes with it, to no other site.
    for (const [name, value] of Object.entries(csrfHeaders())) request.setRequestHeader(name, value);
    request.setRequestHeader('accept', 'application/json');
    request.upload.onprogress = (event) => {
      if (!event.lengthComputable || !onProgress) return;
      onProgress({ sent: event.loaded, total: event.total, percent: Math.floor((event.loaded / event.total) * 100) });
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) resolve(JSON.parse(request.responseText) as T);
      else
        reject(
          failure(path, request.status, errorBody(request.responseText), request.getResponseHeader('retry-after')),
        );
    };
    request.onerror = () => reject(new TypeError('The upload did not reach the server'));
    request.onabort = () => reject(aborted());
    signal?.addEventListener('abort', () => request.abort(), { once: true });
    request.send(form);
  });
}
