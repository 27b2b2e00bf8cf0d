import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchConfig, dropBenchState, runBench } from './bench-kit';
import {
  cpuSeconds,
  cpuSince,
  floorMeasure,
  floorRender,
  loudnessLine,
  median,
  meterFile,
  runTool,
} from './media-floor';
import { createHttpApp } from '../src/app';
import { createRootLogger } from '../src/infra/logging/logger';
import { renderBroadcastFile } from '../src/media/broadcast-rendition';
import { firstPlan, type LoudnessMeasurement } from '../src/media/domain/loudness';
import { FfmpegTranscoder } from '../src/media/ffmpeg-transcoder';
import { SpeechSynthesizer } from '../src/media/speech-synthesizer';
import { describeTool, locateMediaTools } from '../src/media/tools/locate-tools';

// bench:media — one long upload (default 10 minutes: a spoken programme over
// the loud music bed of the sample recordings, as a stereo 44.1 kHz 128 kb/s
// MP3) made into a broadcast rendition three ways, in alternating rounds:
//   floor     the raw tool chain: the measuring ffmpeg command, then the
//             rendering one, run one after the other (no probe, no metering
//             of the result, no correction, no Node streams);
//   pipeline  the pipeline's own steps (renderBroadcastFile): probe, measure,
//             render while metering the MP3, a corrective render if needed;
//   queue     the whole service: HTTP upload, Postgres row, BullMQ job,
//             worker, until the row is ready.
// Printed: median wall time and × real time of each, pipeline ÷ floor and
// queue ÷ pipeline, and the loudness of the renditions as an independent
// meter reads them. Target: the pipeline ≥ 40× real time, every rendition
// −16 ± 1 LUFS and ≤ −1.5 dBTP.

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '600' },
    rounds: { type: 'string', default: '3' },
  },
});
const SECONDS = Number(args.seconds);
const ROUNDS = Number(args.rounds);
const TARGET_SPEED = 40;
// espeak-ng's Mandarin voice speaks about this many characters a second.
const CHARS_PER_SECOND = 2.7;
const MUSIC_BED = join(__dirname, '../../tests/fixtures/audio/loud-stereo-48k.flac');

const SENTENCES = [
  '各位村民请注意，今天下午五点半有天空课堂广播，请大家准时收听。',
  '近期天气干燥，上山劳作请不要带火种，严防森林火灾。',
  '医保缴费已经开始，请还没有缴费的村民尽快到村委会办理。',
  '汛期将至，住在河边低洼地带的村民要注意天气预报，做好转移准备。',
  '农业技术员周六上午在村广场讲解玉米病虫害防治，欢迎参加。',
];

async function makeUpload(work: string, tools: ReturnType<typeof locateMediaTools>): Promise<string> {
  let text = '';
  for (let i = 0; text.length < SECONDS * CHARS_PER_SECOND; i++) text += SENTENCES[i % SENTENCES.length];
  const speech = join(work, 'programme.wav');
  await new SpeechSynthesizer(tools.espeakNg).speak(text, 'cmn', speech);
  const upload = join(work, 'programme.mp3');
  await runTool(tools.ffmpeg, [
    '-nostdin',
    '-hide_banner',
    '-y',
    '-i',
    speech,
    '-stream_loop',
    '-1',
    '-i',
    MUSIC_BED,
    '-filter_complex',
    `[0:a]aresample=44100,pan=stereo|c0=c0|c1=c0[voice];[1:a]aresample=44100,volume=-14dB[bed];` +
      `[voice][bed]amix=inputs=2:duration=first:normalize=0,atrim=0:${SECONDS}`,
    '-c:a',
    'libmp3lame',
    '-b:a',
    '128k',
    upload,
  ]);
  return upload;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'dalaba-bench-media-'));
  const database = `dalaba_bench_${process.pid}`;
  const prefix = `bench${process.pid}`;
  const tools = locateMediaTools({
    ffmpeg: process.env.FFMPEG_PATH,
    ffprobe: process.env.FFPROBE_PATH,
    espeakNg: process.env.ESPEAK_NG_PATH,
  });
  const config = await benchConfig(database, prefix, {
    ADMIN_PASSWORD: 'bench-admin-password',
    MEDIA_DIR: join(work, 'queued'),
  });
  const app = await createHttpApp(config, createRootLogger('warn'));
  try {
    console.log(`bench:media: one upload of ${SECONDS} s, ${ROUNDS} rounds, ${availableParallelism()} CPUs`);
    for (const tool of [tools.ffmpeg, tools.ffprobe]) console.log(`  ${describeTool(tool)}`);
    const { rendition, maxSeconds } = config.media;
    const upload = await makeUpload(work, tools);
    const transcoder = new FfmpegTranscoder(tools.ffmpeg, tools.ffprobe, maxSeconds);

    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'bench-admin-password' }),
    });
    const auth = { authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}` };

    const times = { floor: [] as number[], pipeline: [] as number[], queue: [] as number[] };
    const outputs = { floor: [] as LoudnessMeasurement[], pipeline: [] as LoudnessMeasurement[] };
    const passes: number[] = [];
    const cpu = { floor: [] as number[], pipeline: [] as number[] };
    let audioSeconds = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const floorOut = join(work, `floor-${round}.mp3`);
      let start = performance.now();
      let cpuBefore = cpuSeconds();
      const measured = await floorMeasure(tools.ffmpeg, upload, rendition);
      await floorRender(tools.ffmpeg, upload, rendition, firstPlan(rendition, measured), floorOut);
      times.floor.push(performance.now() - start);
      cpu.floor.push(cpuSince(cpuBefore));
      outputs.floor.push(await meterFile(tools.ffmpeg, floorOut));

      let renders = 0;
      start = performance.now();
      cpuBefore = cpuSeconds();
      const file = await renderBroadcastFile({
        transcoder,
        input: upload,
        rendition,
        maxSeconds,
        tempPath: () => join(work, `pipeline-${round}-${renders++}.mp3`),
        discard: async (path) => rmSync(path, { force: true }),
      });
      times.pipeline.push(performance.now() - start);
      cpu.pipeline.push(cpuSince(cpuBefore));
      passes.push(renders);
      audioSeconds = file.durationMs / 1000;
      outputs.pipeline.push(await meterFile(tools.ffmpeg, file.path));

      // A tag of its own each round: the same bytes would be found already rendered.
      const tagged = join(work, `upload-${round}.mp3`);
      await runTool(tools.ffmpeg, [
        '-nostdin',
        '-y',
        '-i',
        upload,
        '-c',
        'copy',
        '-metadata',
        `title=round ${round}`,
        tagged,
      ]);
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(readFileSync(tagged))]), `programme-${round}.mp3`);
      start = performance.now();
      const reply = await fetch(`${base}/api/v1/media`, { method: 'POST', headers: auth, body: form });
      if (reply.status !== 202) throw new Error(`upload: ${reply.status} ${await reply.text()}`);
      const { id } = (await reply.json()) as { id: string };
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const media = (await (await fetch(`${base}/api/v1/media/${id}`, { headers: auth })).json()) as {
          status: string;
          error: string | null;
        };
        if (media.status === 'failed') throw new Error(`media ${id} failed: ${media.error}`);
        if (media.status === 'ready') break;
      }
      times.queue.push(performance.now() - start);
      const line = (label: string, ms: number) => `${label} ${(ms / 1000).toFixed(1)} s`;
      console.log(
        `  round ${round + 1}: ${line('floor', times.floor[round])}, ${line('pipeline', times.pipeline[round])} ` +
          `(${renders} render${renders > 1 ? 's' : ''}), ${line('queue', times.queue[round])}; ` +
          `CPU floor ${cpu.floor[round].toFixed(1)} s, pipeline ${cpu.pipeline[round].toFixed(1)} s`,
      );
    }

    const [floor, pipeline, queue] = [median(times.floor), median(times.pipeline), median(times.queue)];
    const speed = (ms: number) => `${(ms / 1000).toFixed(1)} s (${(audioSeconds / (ms / 1000)).toFixed(1)}× real time)`;
    const pipelineSpeed = audioSeconds / (pipeline / 1000);
    console.log(`  audio: ${audioSeconds.toFixed(0)} s; medians of ${ROUNDS} rounds:`);
    console.log(`  floor, measure + render commands: ${speed(floor)}`);
    console.log(
      `  pipeline: ${speed(pipeline)} (target ≥ ${TARGET_SPEED}×) ${pipelineSpeed >= TARGET_SPEED ? 'OK' : 'UNDER TARGET'}; renders per round: ${passes.join(', ')}`,
    );
    console.log(`  through the queue: ${speed(queue)}`);
    console.log(
      `  ratio pipeline ÷ floor: ${(pipeline / floor).toFixed(2)}; queue ÷ pipeline: ${(queue / pipeline).toFixed(2)}`,
    );
    const [cf, cp] = [median(cpu.floor), median(cpu.pipeline)];
    console.log(
      `  CPU time (this process and its ffmpeg children): floor ${cf.toFixed(1)} s, pipeline ${cp.toFixed(1)} s ` +
        `(${(audioSeconds / cp).toFixed(0)}× real time per core), ratio ${(cp / cf).toFixed(2)}`,
    );
    console.log(`  floor renditions: ${loudnessLine(outputs.floor, rendition)}`);
    console.log(`  pipeline renditions: ${loudnessLine(outputs.pipeline, rendition)}`);
  } finally {
    await app.close();
    rmSync(work, { recursive: true, force: true });
    await dropBenchState(database, prefix);
  }
}

runBench(main);
