/** The one format the agent's audio runs in, from every decoder to the output: signed 16-bit little-endian, 48 kHz, mono. */
export const SAMPLE_RATE = 48_000;
export const BYTES_PER_SAMPLE = 2;

/**
 * Volume 0–100 as a gain: 40·log10(volume/100) dB, i.e. amplitude
 * (volume/100)², so 50 is −12 dB, 25 is −24 dB, 10 is −40 dB and 0 is
 * silence. Squaring follows how loudness is heard: equal steps of the
 * setting sound like roughly equal steps, as on a mixer's fader.
 */
export function volumeDb(volume: number): number {
  return volume <= 0 ? -Infinity : 40 * Math.log10(volume / 100);
}

export function volumeGain(volume: number, muted: boolean): number {
  if (muted || volume <= 0) return 0;
  return (Math.min(volume, 100) / 100) ** 2;
}

/** Scales the samples in place, clipping at full scale. */
export function applyGain(pcm: Buffer, gain: number): void {
  if (gain === 1) return;
  for (let offset = 0; offset + 1 < pcm.length; offset += 2) {
    const scaled = Math.round(pcm.readInt16LE(offset) * gain);
    pcm.writeInt16LE(Math.max(-32768, Math.min(32767, scaled)), offset);
  }
}

/** The test tone: 1 kHz at −6 dBFS (before the volume), sample `index` of it. */
export function toneSample(index: number): number {
  return Math.round(0.5 * 32767 * Math.sin((2 * Math.PI * 1000 * index) / SAMPLE_RATE));
}

/**
 * Decoded audio waiting to be aired, as it came from a decoder: any chunk
 * sizes, even odd ones (a sample split between two chunks).
 */
export class PcmQueue {
  private chunks: Buffer[] = [];
  private head = 0;
  bytes = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
  }

  /** Copies up to `length` bytes into `target` at `offset` (or drops them without a target). Answers how many. */
  take(length: number, target?: Buffer, offset = 0): number {
    let done = 0;
    while (done < length && this.chunks.length > 0) {
      const chunk = this.chunks[0];
      const count = Math.min(length - done, chunk.length - this.head);
      if (target) chunk.copy(target, offset + done, this.head, this.head + count);
      this.head += count;
      done += count;
      if (this.head === chunk.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    this.bytes -= done;
    return done;
  }
}
