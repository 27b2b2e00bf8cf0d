import { describe, linkedAbort } from 'dalaba-agent/protocol';

// Icecast answers a listener at once; longer than this, and a device in the field would give up and say so.
const OPEN_TIMEOUT_MS = 10_000;

export interface StreamPlay {
  /** played: audio flowed until the stream ended or the caller stopped it; failed: it never did. */
  outcome: 'played' | 'failed';
  bytes: number;
  why: string;
}

/**
 * Plays a live stream the way a loudspeaker does: an HTTP GET of the Icecast
 * mount, read as it comes, so bytes flowing in real time is the device
 * playing. Resolves when the server ends the stream, the connection breaks, or
 * `signal` stops it (the device's own decision); never rejects. `onBytes`
 * sees every chunk as it arrives.
 */
export async function playStream(
  url: string,
  signal: AbortSignal,
  onBytes: (chunk: Uint8Array) => void = () => undefined,
): Promise<StreamPlay> {
  const opening = new AbortController();
  const stopOpening = (): void => opening.abort(signal.reason);
  signal.addEventListener('abort', stopOpening, { once: true });
  const timer = setTimeout(() => opening.abort(new DOMException('no answer in time', 'TimeoutError')), OPEN_TIMEOUT_MS);
  let bytes = 0;
  const result = (why: string): StreamPlay => ({ outcome: bytes > 0 ? 'played' : 'failed', bytes, why });
  try {
    const response = await fetch(url, { signal: opening.signal, headers: { 'icy-metadata': '0' } });
    clearTimeout(timer);
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || !response.body || !type.startsWith('audio/')) {
      await response.body?.cancel().catch(() => undefined);
      return result(`the stream could not be opened: HTTP ${response.status}${type ? ` ${type}` : ''}`);
    }
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return result(bytes > 0 ? 'the stream ended' : 'the stream ended before any audio');
      bytes += value.byteLength;
      onBytes(value);
    }
  } catch (error) {
    if (signal.aborted) return result('stopped');
    return result(
      bytes > 0 ? `the stream broke: ${describe(error)}` : `the stream could not be opened: ${describe(error)}`,
    );
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', stopOpening);
  }
}

/**
 * A device starts playing a stream, counting the bytes it reads. `ended` hears
 * how the stream stopped by itself; the function returned stops it (the
 * device's own decision: live-ended, an alert, endsBy), and `ended` is not called then.
 */
export function tuneIn(
  url: string,
  device: AbortSignal,
  counted: { bytes: number },
  ended: (play: StreamPlay) => void,
): () => void {
  const stop = linkedAbort(device);
  void playStream(url, stop.controller.signal, (chunk) => (counted.bytes += chunk.byteLength)).then((play) => {
    stop.release();
    if (!stop.controller.signal.aborted) ended(play);
  });
  return () => stop.controller.abort();
}
