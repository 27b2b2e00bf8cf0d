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
    const faults: (string | undefined)[] = [];
    const engine = new AudioEngine(config, journal, (why) => faults.push(why));
    engine.volume = 50;
    engine.open();
    const at = opened[0].at;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // As the player does for what is due: decoding starts ahead.
    engine.prepare('low', { input: join(dir, 'low.wav') });
    engine.prepare('high', { input: join(dir, 'high.wav') });
    await sleep(500);
    // Decided 400 ms ahead, as the player decides LEAD_MS ahead of the output.
    const lowAt = Date.now() + 400;
    const lowStart = engine.start('low', { input: join(dir, 'low.wav') }, lowAt);
    expect(lowStart).toBe(Math.round((lowAt - at) * 48));
    await sleep(300);
    // An alert: the programme stops on the sample the alert starts on.
    const highAt = Date.now() + 400;
    engine.stop('low', highAt);
    const highStart = engine.start('high', { input: join(dir, 'high.wav') }, highAt);
    engine.stop('high', highAt + 500);
    await sleep(1200);
    await engine.shutdown();

    expect(faults).toEqual([]);
    const pcm = readFileSync(wav).subarray(44);
    const nonZero: number[] = [];
    for (let i = 0; i < pcm.length / 2; i++) if (pcm.readInt16LE(i * 2) !== 0) nonZero.push(i);
    expect(nonZero[0]).toBe(lowStart + 1); // a sine starts at 0
    expect(nonZero.at(-1)).toBeLessThan(highStart + 500 * 48);
    expect(nonZero.at(-1)).toBeGreaterThan(highStart + 500 * 48 - 10);
    // 440 Hz, then 880 Hz for 0.5 s: two zero crossings a period, none lost at the cut.
    expect(crossings(pcm, lowStart, highStart)).toBeCloseTo((880 * (highStart - lowStart)) / 48_000, -1);
    expect(crossings(pcm, highStart, highStart + 500 * 48)).toBeCloseTo(880, -1);
    // Volume 50 is −12 dB: ffmpeg's sine peaks at 1/8 of full scale, 4096 → 1024.
    let peak = 0;
    for (let i = lowStart; i < highStart + 500 * 48; i++) peak = Math.max(peak, Math.abs(pcm.readInt16LE(i * 2)));
    expect(peak).toBeGreaterThanOrEqual(1020);
    expect(peak).toBeLessThanOrEqual(1026);
  });
});
