import { execFile } from 'node:child_process';
import { Injectable } from '@nestjs/common';
import { judgeStreamCheck, streamCheckArguments, type StreamVerdict } from './domain/stream-check';
import { MediaTooling } from './media-tooling';

// Long enough for a radio station across the country to answer and send a
// second of audio; short enough that an operator saving a broadcast waits
// for it (the request waits on this check).
const CHECK_SECONDS = 8;
// ffmpeg's own timeout covers a silent server; this one a stuck ffmpeg.
const KILL_AFTER_MS = (CHECK_SECONDS + 4) * 1000;

/** Checks that an outside stream is reachable and its audio decodable, by decoding a second of it. */
@Injectable()
export class StreamProbe {
  constructor(private readonly tooling: MediaTooling) {}

  check(url: string): Promise<StreamVerdict> {
    const { ffmpeg } = this.tooling.tools;
    return new Promise((resolve) => {
      execFile(
        ffmpeg.command,
        [...ffmpeg.prefixArgs, ...streamCheckArguments(url, CHECK_SECONDS)],
        { timeout: KILL_AFTER_MS, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024, encoding: 'utf8' },
        (error, _stdout, stderr) => {
          const killed = error !== null && (error as { killed?: boolean }).killed === true;
          const exitCode = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
          resolve(judgeStreamCheck({ exitCode, stderr, timedOut: killed }, CHECK_SECONDS));
        },
      );
    });
  }
}
