import { liveItem } from './live';

describe('a live-started event as the player sees it', () => {
  const event = {
    id: 's1',
    itemId: 'live:s1',
    title: '镇长喊话',
    urgent: true,
    priority: 90,
    startedAt: '2026-11-24T17:30:00.000+08:00',
    endsBy: '2026-11-24T18:30:00.000+08:00',
    stream: { url: 'http://icecast.test/live-abc.mp3', mime: 'audio/mpeg' },
  };
  const real = Date.parse('2026-11-24T17:30:05+08:00');

  it("keeps endsBy the same distance ahead on the device's own (shifted) clock", () => {
    const item = liveItem(JSON.stringify(event), real - 3600_000, real);
    expect(item).toEqual({
      id: 'live:s1',
      kind: 'live',
      title: '镇长喊话',
      startsAt: event.startedAt,
      priority: 90,
      urgent: true,
      endsAt: real - 3600_000 + 3595_000,
      stream: event.stream,
    });
  });

  it('says why an event cannot be played rather than playing half of one', () => {
    expect(liveItem('not json', real, real)).toBe('live-started whose data is not JSON');
    const { stream: _, ...streamless } = event;
    expect(liveItem(JSON.stringify(streamless), real, real)).toMatch(/without an item id, a stream/);
    expect(liveItem(JSON.stringify({ ...event, endsBy: 'soon' }), real, real)).toMatch(/endsBy/);
  });
});
