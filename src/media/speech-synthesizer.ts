import { spawn } from 'node:child_process';
import { MediaRejected } from './domain/media-rejected';
import type { Tool } from './tools/locate-tools';

// Speech is a few seconds of work per minute of audio; a run this long has hung.
const SPEAK_TIMEOUT_MS = 10 * 60_000;

/** Text to a WAV file with espeak-ng (the native binary or its WebAssembly build). */
export class SpeechSynthesizer {
  constructor(private readonly espeak: Tool) {}

  speak(text: string, voice: string, outputPath: string): Promise<void> {
    // -b 1: the text is UTF-8. The text goes through stdin, never the command line.
    const args = [...this.espeak.prefixArgs, '-v', voice, '-b', '1', '-w', outputPath, '--stdin'];
    return new Promise((resolve, reject) => {
      const child = spawn(this.espeak.command, args, { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), SPEAK_TIMEOUT_MS);
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.stdin.on('error', () => undefined);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) return resolve();
        if (signal) return reject(new Error(`espeak-ng was killed with signal ${signal}`));
        if (/voice does not exist/i.test(stderr)) return reject(new MediaRejected(`espeak-ng has no voice "${voice}"`));
        reject(new Error(`espeak-ng exited with code ${code}: ${stderr.trim().slice(0, 300)}`));
      });
      child.stdin.end(text);
    });
  }
}
