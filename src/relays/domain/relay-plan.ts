import { addDays, countyDate, countyInstant, type LocalDate } from '../../kernel/county-time';

// When a relay's mount is fed, and with what. Devices play the mount from
// their item's start; they are told of no other address, so whatever feeds
// it (the outside stream, or the filler when that fails) goes out under the
// same mount and listeners never have to reconnect.

/** From the first start to the last end of a relay's airing across its targets, in ms. */
export interface AiringSpan {
  startsAt: number;
  endsAt: number;
}

/** Fed from `leadMs` before the first start (so the mount is there when devices tune in) to the last end. */
export function isDue(span: AiringSpan, leadMs: number, now: number): boolean {
  return now >= span.startsAt - leadMs && now < span.endsAt;
}

/** The county dates whose slots may be on air now: today's, and yesterday's if it runs past midnight. */
export function datesOnAirAround(now: Date): LocalDate[] {
  const today = countyDate(now);
  return [addDays(today, -1), today];
}

/** A cheap first look before the exact rundown is composed: whether the slot's window (with the lead) holds now. */
export function slotCovers(
  date: LocalDate,
  slot: { startMinute: number; windowMinutes: number },
  leadMs: number,
  now: number,
): boolean {
  const opens = countyInstant(date, slot.startMinute).getTime();
  return now >= opens - leadMs && now < opens + slot.windowMinutes * 60_000;
}

export type FeedInput = { kind: 'source'; url: string } | { kind: 'filler'; file: string } | { kind: 'silence' };

export interface Encoding {
  sampleRate: number;
  channels: number;
  bitrateKbps: number;
}

/**
 * ffmpeg's arguments for one input, all encoded alike (the broadcast
 * rendition's MP3 settings) so a switch from source to filler is a seamless
 * run of MP3 frames on the same mount. `-re` paces every input at real time:
 * a source that is a plain file would otherwise be sent as fast as it downloads.
 */
export function feedArguments(input: FeedInput, encoding: Encoding, readTimeoutSeconds: number): string[] {
  const from =
    input.kind === 'source'
      ? ['-rw_timeout', String(readTimeoutSeconds * 1_000_000), '-i', input.url, '-map', '0:a:0']
      : input.kind === 'filler'
        ? ['-stream_loop', '-1', '-i', input.file, '-map', '0:a:0']
        : ['-f', 'lavfi', '-i', `anullsrc=r=${encoding.sampleRate}:cl=${encoding.channels === 1 ? 'mono' : 'stereo'}`];
  return [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    '-re',
    ...from,
    '-vn',
    '-ac',
    String(encoding.channels),
    '-ar',
    String(encoding.sampleRate),
    '-c:a',
    'libmp3lame',
    '-b:a',
    `${encoding.bitrateKbps}k`,
    // No ID3 or Xing header: a header in the middle of the stream (after a switch) would be noise to a player.
    '-id3v2_version',
    '0',
    '-write_xing',
    '0',
    '-f',
    'mp3',
    'pipe:1',
  ];
}

/** What takes over when `failed` stops: the filler if there is one, then silence; nothing after silence. */
export function fallbackAfter(failed: FeedInput['kind'], fillerFile: string | undefined): FeedInput | null {
  if (failed === 'source' && fillerFile) return { kind: 'filler', file: fillerFile };
  if (failed !== 'silence') return { kind: 'silence' };
  return null;
}
