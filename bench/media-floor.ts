import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { measureArguments, renderArguments } from '../src/media/domain/ffmpeg-arguments';
import {
  type LoudnessMeasurement,
  parseEbur128Summary,
  type RenderPlan,
  VERIFY_FILTER,
} from '../src/media/domain/loudness';
import type { Rendition } from '../src/media/domain/rendition';
import type { Tool } from '../src/media/tools/locate-tools';

// The floor of bench:media and bench:tts: the pipeline's own ffmpeg commands
// run one after the other from a shell-like exec, with no probe, no
// verification, no correction, no Node streams, no queue.

/** Runs a tool to completion; its stderr. */
export function runTool(tool: Tool, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(tool.command, [...tool.prefixArgs, ...args], { maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`${tool.name} failed: ${stderr.slice(-500)}`)) : resolve(stderr),
    );
  });
}

/** The measuring command: one decode of the input, metered as it will be heard. */
export async function floorMeasure(ffmpeg: Tool, input: string, rendition: Rendition): Promise<LoudnessMeasurement> {
  return parseEbur128Summary(await runTool(ffmpeg, measureArguments(input, 0, rendition)));
}

/** The rendering command: gain (and limiter) and MP3 encoding, straight to a file. */
export async function floorRender(
  ffmpeg: Tool,
  input: string,
  rendition: Rendition,
  plan: RenderPlan,
  output: string,
): Promise<void> {
  await runTool(ffmpeg, renderArguments(input, 0, rendition, plan, output));
}

/** An independent reading of a finished MP3: ffmpeg's ebur128 meter with true peak, on the file as stored. */
export async function meterFile(ffmpeg: Tool, path: string): Promise<LoudnessMeasurement> {
  return parseEbur128Summary(
    await runTool(ffmpeg, ['-nostdin', '-hide_banner', '-i', path, '-af', VERIFY_FILTER, '-f', 'null', '-']),
  );
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

/** "-16.2 LUFS, -2.1 dBTP" for each reading, worst first. */
export function loudnessLine(readings: LoudnessMeasurement[], rendition: Rendition): string {
  const off = (m: LoudnessMeasurement) => Math.abs(m.integratedLufs - rendition.targetLufs);
  const worstLufs = readings.reduce((a, b) => (off(b) > off(a) ? b : a));
  const worstPeak = readings.reduce((a, b) => (b.truePeakDb > a.truePeakDb ? b : a));
  const ok = off(worstLufs) <= 1 && worstPeak.truePeakDb <= rendition.truePeakDb;
  return (
    `worst ${worstLufs.integratedLufs.toFixed(1)} LUFS, worst true peak ${worstPeak.truePeakDb.toFixed(1)} dBTP ` +
    `(target ${rendition.targetLufs} ± 1, ≤ ${rendition.truePeakDb}) ${ok ? 'OK' : 'OFF TARGET'}`
  );
}

// Clock ticks a second in /proc (USER_HZ, 100 on Linux).
const TICKS = 100;

/**
 * CPU seconds spent so far by this process and by its children that have
 * exited (/proc/self/stat's cutime and cstime: every ffmpeg and espeak-ng the
 * floor or the in-process worker ran). On a machine loaded by others the wall
 * time says how long a user waited; the CPU time says what the work cost.
 */
export function cpuSeconds(): { own: number; children: number } {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const usage = process.cpuUsage();
  return {
    own: (usage.user + usage.system) / 1e6,
    children: (Number(fields[13]) + Number(fields[14])) / TICKS,
  };
}

/** CPU seconds of this process and its exited children since `before`: the floor's and the service's are counted alike. */
export function cpuSince(before: ReturnType<typeof cpuSeconds>): number {
  const after = cpuSeconds();
  return after.children - before.children + after.own - before.own;
}
