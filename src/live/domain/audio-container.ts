/** The containers a speaker's client may send its audio in, as ffmpeg names their demuxers. */
export type AudioContainer = 'matroska' | 'ogg' | 'wav' | 'mp3';

/**
 * The container the first bytes of a speaker's stream open, 'more' while too
 * few have come to tell, or null for anything else. Told by its magic bytes
 * rather than left to ffmpeg's probe, which finds "audio" in random bytes
 * often enough to put noise on the air.
 */
export function sniffContainer(head: Uint8Array): AudioContainer | 'more' | null {
  if (head.length < 4) return 'more';
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  // Matroska's EBML header: the browser's MediaRecorder (audio/webm) sends this.
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'matroska';
  if (ascii(0, 4) === 'OggS') return 'ogg';
  if (ascii(0, 3) === 'ID3') return 'mp3';
  // An MPEG audio layer III frame header: 11 sync bits, then not the reserved version or layer.
  if (head[0] === 0xff && (head[1] & 0xe0) === 0xe0 && (head[1] & 0x06) === 0x02 && (head[1] & 0x18) !== 0x08)
    return 'mp3';
  if (ascii(0, 4) === 'RIFF') {
    if (head.length < 12) return 'more';
    return ascii(8, 12) === 'WAVE' ? 'wav' : null;
  }
  return null;
}
