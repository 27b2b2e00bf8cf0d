import type { LoudnessMeasurement } from './domain/loudness';
import type { Probe } from './domain/input-checks';
import type { Rendition } from './domain/rendition';

/** Seconds of input processed so far, for progress reporting. */
export type ProgressListener = (seconds: number) => void;

export interface MeasuredInput {
  loudness: LoudnessMeasurement;
  /** How much audio actually decoded, which a truncated file reports short of its header. */
  decodedSeconds: number;
}

/**
 * The media tools the pipeline needs, in the project's own terms. Only the
 * ffmpeg implementation knows how they are run; the pipeline and its tests
 * speak to this.
 */
export interface Transcoder {
  probe(path: string): Promise<Probe>;
  measure(path: string, streamIndex: number, rendition: Rendition, onProgress?: ProgressListener): Promise<MeasuredInput>;
  render(
    input: string,
    streamIndex: number,
    rendition: Rendition,
    measured: MeasuredInput,
    output: string,
    options: { targetLufs?: number; onProgress?: ProgressListener },
  ): Promise<void>;
}
