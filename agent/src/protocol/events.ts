import { backoffMs, describe, linkedAbort, reason, type Http, type Log } from './http';
import type { Scheduler } from './scheduler';
import { readEventStream, SseParser, type SseEvent } from './sse';

// The server comments at least every 25 s; twice that in silence means a dead connection nobody closed.
const SILENCE_MS = 60_000;
// Until the server sends `retry:`; the SSE standard leaves the default to the client, and browsers wait a few seconds too.
const DEFAULT_RETRY_MS = 3000;

export interface EventsLink {
  who: string;
  token: string;
  http: Http;
  report: Log;
  scheduler: Scheduler;
  signal: AbortSignal;
  notAvailableRetryMs: number;
  onEvent: (event: SseEvent) => void;
  /** The server answered 404: events are not deployed there yet. */
  notAvailable(): void;
  /** The stream is back after a drop: whatever changed meanwhile may not be announced. */
  reconnected(): void;
  revoked(): void;
}

/**
 * Keeps the device's event stream open until the signal ends it, the way an
 * EventSource does: reconnect after the server's retry delay with the last
 * event id, and back off while the server cannot be reached at all.
 */
export async function listen(link: EventsLink): Promise<void> {
  const { who, report, scheduler, signal } = link;
  const parser = new SseParser();
  let everOpen = false;
  let failures = 0;
  while (!signal.aborted) {
    const connection = linkedAbort(signal);
    let silent = false;
    let lastHeard = scheduler.clock.now();
    const watch = (): void => {
      silent = scheduler.clock.now() - lastHeard >= SILENCE_MS;
      if (silent) connection.controller.abort();
      else cancelWatch = scheduler.at(lastHeard + SILENCE_MS, watch);
    };
    let cancelWatch = scheduler.at(lastHeard + SILENCE_MS, watch);
    let wait: number;
    let open = false;
    try {
      const response = await fetch(link.http.resolve('/api/v1/device/events'), {
        headers: {
          authorization: `Bearer ${link.token}`,
          accept: 'text/event-stream',
          ...(parser.lastEventId ? { 'last-event-id': parser.lastEventId } : {}),
        },
        signal: connection.controller.signal,
      });
      if (response.status === 401) return link.revoked();
      if (response.status === 404) {
        link.notAvailable();
        await response.body?.cancel();
        report.log(who, 'events: not available yet (404)');
        wait = link.notAvailableRetryMs;
      } else if (
        !response.ok ||
        !response.body ||
        !response.headers.get('content-type')?.startsWith('text/event-stream')
      ) {
        if (failures === 0) report.error(who, `events: ${await reason(response)}`);
        wait = backoffMs(failures++);
      } else {
        report.log(who, everOpen ? `events: reconnected (last id "${parser.lastEventId}")` : 'events: connected');
        if (everOpen) link.reconnected();
        everOpen = true;
        open = true;
        failures = 0;
        parser.restart();
        await readEventStream(response.body, parser, link.onEvent, () => {
          lastHeard = scheduler.clock.now();
        });
        wait = parser.retryMs ?? DEFAULT_RETRY_MS;
        report.log(who, `events: closed by the server; reconnecting in ${wait} ms`);
      }
    } catch (error) {
      if (signal.aborted) return;
      const why = silent ? `silent for ${SILENCE_MS / 1000} s` : describe(error);
      // An open stream dropping (a restart) is not an error; failing to get one back is, once per outage.
      if (failures === 0 && !open) report.error(who, `events: ${why}`);
      else report.log(who, `events: ${why}`);
      const retry = parser.retryMs ?? DEFAULT_RETRY_MS;
      wait = open ? retry : Math.max(retry, backoffMs(failures++));
    } finally {
      cancelWatch();
      connection.release();
    }
    await scheduler.sleep(wait, signal).catch(() => undefined);
  }
}

/** An event's data as JSON, or {} when it is not (a device ignores what it cannot read). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) ?? {};
  } catch {
    return {};
  }
}
