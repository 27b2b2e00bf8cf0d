import { spawn } from 'node:child_process';
import WebSocket from 'ws';

/** What a speaker's client heard back: the status messages, and how the socket was closed. */
export interface SpeakerClose {
  code: number;
  reason: string;
}

/**
 * A speaker's client as the console is one: it opens the session's ingest
 * WebSocket and sends audio in real time (ffmpeg encodes a tone to WebM/Opus,
 * in small clusters, as MediaRecorder does with a timeslice).
 */
export class Speaker {
  readonly statuses: Array<{ status: string; reason?: string | null }> = [];
  readonly closed: Promise<SpeakerClose>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.statuses.push(JSON.parse((data as Buffer).toString('utf8')));
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
  }

  /** Connects to `ingestUrl` (a path) on the app at `baseUrl`; resolves once open (or closed straight away). */
  static connect(baseUrl: string, ingestUrl: string, headers: Record<string, string> = {}): Promise<Speaker> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${ingestUrl}`, { headers });
    const speaker = new Speaker(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(speaker));
      socket.once('close', () => resolve(speaker));
      socket.once('error', reject);
    });
  }

  /** Speaks a tone for `seconds`, in real time; resolves when it has all been sent. */
  speak(seconds: number, frequency = 440): Promise<void> {
    const ffmpeg = spawn('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-re'],
      ...['-f', 'lavfi', '-i', `sine=frequency=${frequency}:sample_rate=48000:duration=${seconds}`],
      ...[
        '-c:a',
        'libopus',
        '-b:a',
        '32k',
        '-f',
        'webm',
        '-cluster_time_limit',
        '250',
        '-flush_packets',
        '1',
        'pipe:1',
      ],
    ]);
    ffmpeg.stdout.on('data', (chunk: Buffer) => {
      if (this.socket.readyState === WebSocket.OPEN) this.socket.send(chunk);
    });
    return new Promise((resolve) => ffmpeg.once('close', () => resolve()));
  }

  send(bytes: Buffer): void {
    this.socket.send(bytes);
  }

  /** The status the server said last. */
  get status(): string | undefined {
    return this.statuses.at(-1)?.status;
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * A loudspeaker playing a stream: reads `url` for `ms` (or until it ends) and
 * returns the bytes, as a device's player would get them.
 */
export async function listen(url: string, ms: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const response = await fetch(url, { signal: AbortSignal.timeout(ms) }).catch(() => null);
  if (!response?.ok || !response.body) return Buffer.alloc(0);
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  } catch {
    // the time is up, or the stream ended
  }
  return Buffer.concat(chunks);
}

/** Whether bytes hold MPEG audio frames (a frame header, and the next one where it says). */
export function holdsMp3Frames(bytes: Buffer): boolean {
  for (let at = 0; at + 4 < bytes.length; at++) {
    if (bytes[at] !== 0xff || (bytes[at + 1] & 0xe0) !== 0xe0) continue;
    const length = mpeg1Layer3FrameLength(bytes.subarray(at, at + 4));
    if (length && bytes[at + length] === 0xff && (bytes[at + length + 1] & 0xe0) === 0xe0) return true;
  }
  return false;
}

function mpeg1Layer3FrameLength(header: Buffer): number | null {
  const bitrates = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
  const rates = [44_100, 48_000, 32_000];
  const bitrate = bitrates[header[2] >> 4];
  const rate = rates[(header[2] >> 2) & 0x3];
  if (!bitrate || !rate || (header[1] & 0x1e) !== 0x1a) return null;
  return Math.floor((144 * bitrate * 1000) / rate) + ((header[2] >> 1) & 0x1);
}
