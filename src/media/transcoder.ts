import type { LoudnessMeasurement, RenderPlan } from './domain/loudness';
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
  /** Decodes every sample of the stream once and meters it as it will be heard. */
  measure(path: string, streamIndex: number, rendition: Rendition, onProgress?: ProgressListener): Promise<MeasuredInput>;
  /**
   * Renders the stream to `output` with the plan's gain and limiter, and
   * meters the encoded file while it is being written: what it resolves with
   * is the rendition's own loudness and length.
   */
  render(
    input: string,
    streamIndex: number,
    rendition: Rendition,
    plan: RenderPlan,
    output: string,
    onProgress?: ProgressListener,
  ): Promise<MeasuredInput>;
}
