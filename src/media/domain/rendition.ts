// The one broadcast format every endpoint plays. MP3 is fixed (the device
// protocol's media URL ends in .mp3 and every loudspeaker decodes it); the
// loudness target, channels, rate and bit rate are the county's to set.

export interface Rendition {
  targetLufs: number;
  truePeakDb: number;
  sampleRate: number;
  channels: number;
  bitrateKbps: number;
}

export const RENDITION_EXTENSION = 'mp3';
export const RENDITION_MIME = 'audio/mpeg';

/**
 * Names the settings a rendition was made with. An input already rendered
 * with the same key can be reused as it is; changing a setting makes new
 * uploads render afresh without touching what is already on air.
 */
export function renditionKey(r: Rendition): string {
  return `mp3:${r.channels}ch:${r.sampleRate}Hz:${r.bitrateKbps}k:I${r.targetLufs}:TP${r.truePeakDb}`;
}
