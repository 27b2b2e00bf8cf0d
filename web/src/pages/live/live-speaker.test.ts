import type { LiveSession } from './live-api';
import { LiveSpeaker, type SocketEvents, type Speaking } from './live-speaker';

const SESSION = { id: 's1', title: '防汛通知', endReason: null } as LiveSession;

/** A socket, recorder and clock the test drives by hand. */
function harness(reloaded: Partial<LiveSession> = {}) {
  const sockets: Array<{ events: SocketEvents; isOpen: boolean; sent: Blob[]; closed: boolean }> = [];
  const recorders: Array<{ chunk: (blob: Blob) => void; stopped: boolean }> = [];
  const timers: Array<{ run: () => void; ms: number; cancelled: boolean }> = [];
  const states: Speaking[] = [];
  let now = 0;
  const speaker = new LiveSpeaker(
    SESSION,
    'ws://host/api/v1/live-sessions/s1/audio?token=t',
    10,
    {
      openSocket: (_url, events) => {
        const socket = { events, isOpen: false, sent: [] as Blob[], closed: false };
        sockets.push(socket);
        return {
          get isOpen() {
            return socket.isOpen;
          },
          send: (chunk) => socket.sent.push(chunk),
          close: () => {
            socket.closed = true;
          },
        };
      },
      record: (chunk) => {
        const recorder = { chunk, stopped: false };
        recorders.push(recorder);
        return { stop: () => (recorder.stopped = true) };
      },
      now: () => now,
      later: (run, ms) => {
        const timer = { run, ms, cancelled: false };
        timers.push(timer);
        return () => (timer.cancelled = true);
      },
      reload: () => Promise.resolve({ ...SESSION, ...reloaded }),
    },
    (state) => states.push(state),
  );
  const open = (index: number) => {
    sockets[index].isOpen = true;
    sockets[index].events.open();
  };
  const say = (index: number, status: string, reason?: string) =>
    sockets[index].events.message(JSON.stringify({ type: 'status', status, reason }));
  return {
    speaker,
    sockets,
    recorders,
    timers,
    open,
    say,
    phase: () => speaker.current.phase,
    advance: (ms: number) => (now += ms),
  };
}

describe('a live session from the browser', () => {
  it('sends the microphone’s chunks once the socket opens and is live when the server says so', () => {
    const h = harness();
    expect(h.phase()).toBe('connecting');
    h.open(0);
    h.recorders[0].chunk(new Blob(['a']));
    expect(h.sockets[0].sent).toHaveLength(1);
    h.say(0, 'starting');
    expect(h.phase()).toBe('connecting');
    h.advance(1_500);
    h.say(0, 'live');
    expect(h.speaker.current).toMatchObject({ phase: 'live', liveSince: 1_500 });
    expect(h.speaker.log.map((entry) => entry.kind)).toEqual(['connected', 'starting', 'live']);
  });

  it('reconnects after a drop with a fresh recorder and stays live from the same moment', () => {
    const h = harness();
    h.open(0);
    h.say(0, 'live');
    h.sockets[0].isOpen = false;
    h.sockets[0].events.close(1006);
    expect(h.phase()).toBe('reconnecting');
    expect(h.recorders[0].stopped).toBe(true);
    expect(h.timers[0].ms).toBe(250);
    h.timers[0].run();
    expect(h.sockets).toHaveLength(2);
    h.open(1);
    h.say(1, 'live');
    expect(h.speaker.current).toMatchObject({ phase: 'live', liveSince: 0 });
    // A new recording: the server's new reader needs the WebM header again.
    expect(h.recorders).toHaveLength(2);
    expect(h.speaker.log.map((entry) => entry.kind)).toEqual(['connected', 'live', 'dropped', 'reconnected']);
  });

  it('gives up once the grace period has passed since the drop, as the server ends it (source-lost)', async () => {
    const h = harness({ endReason: null });
    h.open(0);
    h.sockets[0].events.close(1006);
    h.timers[0].run();
    h.advance(10_000);
    h.sockets[1].events.close(1006);
    expect(h.speaker.current).toMatchObject({ phase: 'ended', reason: 'source-lost' });
    await Promise.resolve();
    expect(h.timers).toHaveLength(1);
  });

  it('ends with the server’s reason and stops sending', async () => {
    const h = harness({ endReason: 'max-length' });
    h.open(0);
    h.say(0, 'ended', 'max-length');
    h.sockets[0].events.close(1000);
    expect(h.speaker.current).toMatchObject({ phase: 'ended', reason: 'max-length' });
    expect(h.recorders[0].stopped).toBe(true);
    expect(h.timers).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve));
    expect(h.speaker.current).toMatchObject({ phase: 'ended', session: { endReason: 'max-length' } });
  });

  it('stops at once when the speaker ends it, and does not reconnect when the server then closes', async () => {
    const h = harness({ endReason: 'operator' });
    h.open(0);
    h.speaker.ending();
    expect(h.phase()).toBe('ending');
    expect(h.recorders[0].stopped).toBe(true);
    h.sockets[0].events.close(1006);
    expect(h.timers).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve));
    expect(h.speaker.current).toMatchObject({ phase: 'ended', reason: 'operator' });
  });

  it('does not retry a socket the server refused, and ignores a socket it has left', () => {
    const h = harness();
    h.sockets[0].events.close(4401);
    expect(h.speaker.current).toMatchObject({ phase: 'refused', refusal: 'badToken' });
    const g = harness();
    g.speaker.dispose();
    expect(g.sockets[0].closed).toBe(true);
    g.sockets[0].events.close(1006);
    expect(g.phase()).toBe('connecting');
    expect(g.timers).toHaveLength(0);
  });
});
