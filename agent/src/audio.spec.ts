import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AudioEngine } from './audio';
import type { AgentConfig } from './config';
import { Journal } from './journal';

// The engine with the system's ffmpeg (the server needs it too), writing a WAV file: where each sample landed is the test.
describe('the audio engine', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'agent-audio-'));
    for (const [name, frequency] of [
      ['low', 440],
      ['high', 880],
    ] as const)
      execFileSync('ffmpeg', [
        ...['-v', 'error', '-f', 'lavfi', '-i', `sine=frequency=${frequency}:duration=2`],
        ...['-ar', '48000', '-ac', '1', join(dir, `${name}.wav`)],
      ]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const crossings = (pcm: Buffer, from: number, to: number) => {
    let count = 0;
    for (let i = from + 1; i < to; i++) if (pcm.readInt16LE(i * 2 - 2) < 0 !== pcm.readInt16LE(i * 2) < 0) count++;
    return count;
  };

  it('starts an item on its sample, airs the one it cuts off up to that sample, and applies the volume', async () => {
    const wav = join(dir, 'horn.wav');
    const opened: { at: number }[] = [];
    const journal = new Journal((line) => opened.push(JSON.parse(line) as { at: number }));
    const config = { ffmpeg: 'ffmpeg', output: { kind: 'wav', path: wav } } as AgentConfig;
    const engine = new AudioEngine(config, journal, (why) => {
      throw new Error(why);
    });
    engine.volume = 50;
    engine.open();
    // As the player prepares what is due: decoding starts ahead.
    engine.prepare('high', { input: join(dir, 'high.wav') });
    const at = opened[0].at;
    expect(engine.start('low', { input: join(dir, 'low.wav') }, at + 600)).toBe(600 * 48);
    await new Promise((resolve) => setTimeout(resolve, 700));
    // An alert at +1100 ms: the programme stops on the sample the alert starts on.
    engine.stop('low', at + 1100);
    expect(engine.start('high', { input: join(dir, 'high.wav') }, at + 1100)).toBe(1100 * 48);
    engine.stop('high', at + 1600);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    await engine.shutdown();

    const pcm = readFileSync(wav).subarray(44);
    const nonZero: number[] = [];
    for (let i = 0; i < pcm.length / 2; i++) if (pcm.readInt16LE(i * 2) !== 0) nonZero.push(i);
    expect(nonZero[0]).toBe(600 * 48 + 1); // a sine starts at 0
    expect(nonZero.at(-1)).toBeLessThan(1600 * 48);
    expect(nonZero.at(-1)).toBeGreaterThan(1600 * 48 - 10);
    // 440 Hz for 0.5 s, then 880 Hz for 0.5 s: two zero crossings a period.
    expect(crossings(pcm, 600 * 48, 1100 * 48)).toBeCloseTo(440, -1);
    expect(crossings(pcm, 1100 * 48, 1600 * 48)).toBeCloseTo(880, -1);
    // Volume 50 is −12 dB: ffmpeg's sine peaks at 1/8 of full scale, 4096 → 1024.
    let peak = 0;
    for (let i = 600 * 48; i < 1600 * 48; i++) peak = Math.max(peak, Math.abs(pcm.readInt16LE(i * 2)));
    expect(peak).toBeGreaterThanOrEqual(1020);
    expect(peak).toBeLessThanOrEqual(1026);
  });
});
