import type { Ear } from './live-listeners';

// What bench:live prints, and how it judges whether its own measurement held.

export interface Run {
  label: string;
  /** When the tone's first chunk was sent (wall clock, ms). */
  t0: number;
  ears: Ear[];
  /** Per ear, what the decoder found (undefined: no tone decoded). */
  decoded: Array<{ frame: number; at: number; heardAt: number } | undefined>;
}

const TARGET_P99_MS = 3_000;
const TARGET_RATIO = 1.5;
// The byte detector marks the first frame carrying any of the tone, which the
// bit reservoir may place a few frames ahead of the frame it sounds in; past
// this many frames apart on a device, one of the two detectors is wrong.
const AGREEING_FRAMES = 8;

/** Nearest rank: the smallest value with at least `fraction` of all at or below it. */
function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)];
}

/** Missing values (a device that never heard the tone's onset) count as infinitely late. */
function spread(values: Array<number | undefined>) {
  const sorted = values.map((value) => value ?? Infinity).sort((a, b) => a - b);
  const count = sorted.filter((value) => value !== Infinity).length;
  return {
    count,
    min: count ? sorted[0] : NaN,
    p50: count ? percentile(sorted, 0.5) : NaN,
    p99: count ? percentile(sorted, 0.99) : NaN,
    max: count ? sorted[count - 1] : NaN,
  };
}

/**
 * Per device: the frame the decoder first sounds the tone from, if the device
 * heard the tone's onset: its stream began in the silence before it (the
 * byte detector saw silence, then the tone), and the decoder agrees.
 */
function onsets(run: Run) {
  return run.decoded.map((found, index) => {
    const frame = run.ears[index].detector.toneFrame;
    return found && frame !== undefined && frame >= 0 ? { ...found, apart: found.frame - frame } : undefined;
  });
}

function figures(run: Run) {
  const { ears, t0 } = run;
  const heard = onsets(run);
  return {
    decoded: spread(heard.map((found) => found && found.at - t0)),
    bytes: spread(ears.map((ear) => (ear.detector.toneAt === undefined ? undefined : ear.detector.toneAt - t0))),
    played: spread(heard.map((found) => found && found.heardAt - t0)),
    told: spread(ears.map((ear) => (ear.toldAt === undefined ? undefined : ear.toldAt - t0))),
    startUp: spread(ears.map((ear) => (ear.firstByteAt === undefined ? undefined : ear.firstByteAt - ear.toldAt!))),
    apart: spread(heard.flatMap((found) => (found ? [found.apart] : []))),
    anyTone: run.decoded.filter((found) => found !== undefined).length,
    onTime: spread(heard.flatMap((found) => (found ? [found.at - t0] : []))),
  };
}

const ms = (value: number) => (Number.isNaN(value) ? '—' : value === Infinity ? 'missed' : value.toFixed(0));

/** Prints both runs; throws when a run measured nothing or its two detectors disagree. */
export function report(runs: Run[], devices: number): void {
  const all = runs.map((run) => ({ run, f: figures(run) }));
  console.log(
    `  ${'path'.padEnd(8)}${['heard', 'p50 ms', 'p99 ms', 'max ms', 'bytes p50', 'bytes p99', 'played p50', 'played p99', 'told p50', 'start-up p50', 'p99'].map((title) => title.padStart(13)).join('')}`,
  );
  for (const { run, f } of all) {
    const cells = [
      `${f.decoded.count}/${devices}`,
      ms(f.decoded.p50),
      ms(f.decoded.p99),
      ms(f.decoded.max),
      ms(f.bytes.p50),
      ms(f.bytes.p99),
      ms(f.played.p50),
      ms(f.played.p99),
      ms(f.told.p50),
      ms(f.startUp.p50),
      ms(f.startUp.p99),
    ];
    console.log(`  ${run.label.padEnd(8)}${cells.map((cell) => cell.padStart(13)).join('')}`);
    const late = f.anyTone - f.decoded.count;
    if (late) {
      const heard = f.decoded.count ? `; of the ${f.decoded.count} that heard it, p99 ${ms(f.onTime.p99)} ms` : '';
      console.log(`    ${run.label}: ${late} joined after the tone began (their stream started inside it)${heard}`);
    }
    const silent = run.ears.filter((ear) => ear.firstByteAt === undefined).map((ear) => ear.why);
    if (silent.length) console.log(`    ${run.label}: ${silent.length} had no audio at all: ${silent[0]}`);
    console.log(
      `    ${run.label}: decoder − byte detector, frames: p50 ${f.apart.p50}, from ${f.apart.min} to ${f.apart.max} (${f.apart.count} devices)`,
    );
  }
  const legend = [
    "(ms from the tone's first chunk sent; p50/p99/max: when the frame the decoder first sounds the tone from reached the device,",
    ' missed: more than 1 % never heard the onset; bytes: the first frame carrying any of it (the byte detector);',
    ' played: when a device playing from its first byte would sound it; told: live-started (or the mount listed);',
    " start-up: told to the stream's first byte)",
  ];
  legend.forEach((line) => console.log(`  ${line}`));
  const [dalaba, ffmpeg] = all.length === 2 ? all : [undefined, all[0]];
  if (dalaba) {
    const { p99 } = dalaba.f.decoded;
    const floor = ffmpeg.f.decoded.p99;
    const ratio = p99 / floor;
    const comparable = Number.isFinite(floor) && Number.isFinite(p99);
    console.log(
      `  ratio dalaba ÷ ffmpeg, p99: ${comparable ? ratio.toFixed(2) : '— (a p99 is missed: more than 1 % never heard the onset)'}`,
    );
    const ofHeard = dalaba.f.onTime.p99 / ffmpeg.f.onTime.p99;
    console.log(`  ratio dalaba ÷ ffmpeg, p99 of the devices that heard the onset: ${ofHeard.toFixed(2)}`);
    const met = p99 <= TARGET_P99_MS && (!comparable || ratio <= TARGET_RATIO) && dalaba.f.decoded.count === devices;
    console.log(
      `  target: p99 ≤ ${TARGET_P99_MS} ms, ≤ ${TARGET_RATIO}× the baseline, none missed: ${met ? 'OK' : 'NOT MET'}${comparable ? '' : ' (ratio not comparable)'}`,
    );
  }
  for (const { run, f } of all) {
    if (f.anyTone === 0) throw new Error(`broken measurement: no device of ${run.label} decoded the tone at all`);
    if (f.apart.count && (f.apart.min < 0 || f.apart.max > AGREEING_FRAMES))
      throw new Error(`broken measurement: on ${run.label} the byte detector and the decoder disagree`);
  }
}
