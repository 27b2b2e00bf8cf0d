import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchConfig, dropBenchState, inParallel, runBench } from './bench-kit';
import { createHttpApp } from '../src/app';
import { createRootLogger } from '../src/infra/logging/logger';
import { renderBroadcastFile } from '../src/media/broadcast-rendition';
import { FfmpegTranscoder } from '../src/media/ffmpeg-transcoder';
import { MediaStore } from '../src/media/media-store';
import { SpeechSynthesizer } from '../src/media/speech-synthesizer';
import { describeTool, locateMediaTools } from '../src/media/tools/locate-tools';

// bench:media — the cost the queue adds to ffmpeg's own. The same spoken
// clips go (a) straight through the pipeline's ffmpeg steps at the worker's
// concurrency, and (b) through the whole service: HTTP upload, Postgres row,
// BullMQ job, worker, until every row is ready. Printed: both wall times and
// their ratio (target: queue ÷ direct ≤ 1.10).

const { values: args } = parseArgs({
  options: {
    clips: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '60' },
    concurrency: { type: 'string', default: process.env.MEDIA_CONCURRENCY ?? '2' },
  },
});
const CLIPS = Number(args.clips);
const CONCURRENCY = Number(args.concurrency);
const TARGET_SECONDS = Number(args.seconds);
// espeak-ng's Mandarin voice speaks about this many characters a second.
const CHARS_PER_SECOND = 2.7;

const SENTENCES = [
  '各位村民请注意，今天下午五点半有天空课堂广播，请大家准时收听。',
  '近期天气干燥，上山劳作请不要带火种，严防森林火灾。',
  '村规民约第三条：红白喜事从简办理，不大操大办，不攀比。',
  '医保缴费已经开始，请还没有缴费的村民尽快到村委会办理。',
  '汛期将至，住在河边低洼地带的村民要注意天气预报，做好转移准备。',
  '孝老爱亲是我们的传统美德，请大家常回家看看，多陪陪老人。',
  '农业技术员周六上午在村广场讲解玉米病虫害防治，欢迎参加。',
  '外出务工人员返乡后，请到村卫生室登记，按时接种疫苗。',
  '垃圾分类从我做起，可回收物和其他垃圾请分开投放。',
  '新时代文明实践站本周开展志愿服务活动，欢迎报名。',
];

function clipText(index: number): string {
  const wanted = Math.round(TARGET_SECONDS * CHARS_PER_SECOND);
  let text = `第${index + 1}号广播。`;
  for (let i = index; text.length < wanted; i++) text += SENTENCES[(i * 7 + index) % SENTENCES.length];
  return text;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'dalaba-bench-media-'));
  const database = `dalaba_bench_${process.pid}`;
  const tools = locateMediaTools({
    ffmpeg: process.env.FFMPEG_PATH,
    ffprobe: process.env.FFPROBE_PATH,
    espeakNg: process.env.ESPEAK_NG_PATH,
  });
  try {
    console.log(
      `bench:media: ${CLIPS} spoken clips of ~${TARGET_SECONDS} s, concurrency ${CONCURRENCY}, ${availableParallelism()} CPUs`,
    );
    for (const tool of [tools.ffmpeg, tools.ffprobe, tools.espeakNg]) console.log(`  ${describeTool(tool)}`);

    const speech = new SpeechSynthesizer(tools.espeakNg);
    const clips = Array.from({ length: CLIPS }, (_, index) => join(work, `clip-${index}.wav`));
    await inParallel(
      clips.map((path, index) => ({ path, index })),
      availableParallelism(),
      ({ path, index }) => speech.speak(clipText(index), 'cmn', path),
    );

    const config = await benchConfig(database, `bench${process.pid}`, {
      ADMIN_PASSWORD: 'bench-admin-password',
      MEDIA_DIR: join(work, 'queued'),
      MEDIA_CONCURRENCY: String(CONCURRENCY),
    });

    // (a) The pipeline's own ffmpeg steps, no HTTP, no database, no queue.
    const direct = new MediaStore(join(work, 'direct'));
    await direct.prepare();
    const transcoder = new FfmpegTranscoder(tools.ffmpeg, tools.ffprobe, config.media.maxSeconds);
    let audioSeconds = 0;
    const directStart = performance.now();
    await inParallel(clips, CONCURRENCY, async (input) => {
      const file = await renderBroadcastFile({
        transcoder,
        input,
        rendition: config.media.rendition,
        maxSeconds: config.media.maxSeconds,
        tempPath: () => direct.tempPath('bench'),
        discard: (path) => direct.discard(path),
      });
      await direct.commit(file.path);
      audioSeconds += file.durationMs / 1000;
    });
    const directSeconds = (performance.now() - directStart) / 1000;

    // (b) The service: upload over HTTP, a row, a job, the worker, until every row is ready.
    const app = await createHttpApp(config, createRootLogger('warn'));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    let queuedSeconds: number;
    try {
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'bench-admin-password' }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const auth = { authorization: `Bearer ${accessToken}` };
      const bodies = clips.map((path) => readFileSync(path));

      const queuedStart = performance.now();
      const ids = await Promise.all(
        bodies.map(async (bytes, index) => {
          const form = new FormData();
          form.append('file', new Blob([new Uint8Array(bytes)]), `clip-${index}.wav`);
          const reply = await fetch(`${base}/api/v1/media`, { method: 'POST', headers: auth, body: form });
          if (reply.status !== 202) throw new Error(`upload ${index}: ${reply.status} ${await reply.text()}`);
          return ((await reply.json()) as { id: string }).id;
        }),
      );
      // One light request a quarter-second: the watching must not compete with ffmpeg for the CPU.
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        const page = (await (await fetch(`${base}/api/v1/media?limit=500`, { headers: auth })).json()) as {
          items: Array<{ id: string; status: string; error: string | null }>;
        };
        const failed = page.items.find((item) => item.status === 'failed');
        if (failed) throw new Error(`media ${failed.id} failed: ${failed.error}`);
        if (page.items.filter((item) => item.status === 'ready').length === ids.length) break;
      }
      queuedSeconds = (performance.now() - queuedStart) / 1000;
    } finally {
      await app.close();
    }

    const ratio = queuedSeconds / directSeconds;
    console.log(`  audio: ${audioSeconds.toFixed(0)} s in ${CLIPS} clips`);
    console.log(
      `  direct ffmpeg: ${directSeconds.toFixed(1)} s (${(audioSeconds / directSeconds).toFixed(1)}× real time)`,
    );
    console.log(
      `  through queue: ${queuedSeconds.toFixed(1)} s (${(audioSeconds / queuedSeconds).toFixed(1)}× real time)`,
    );
    console.log(`  ratio queue ÷ direct: ${ratio.toFixed(3)} (target ≤ 1.10) ${ratio <= 1.1 ? 'OK' : 'OVER TARGET'}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
    await dropBenchState(database, `bench${process.pid}`);
  }
}

runBench(main);
