import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { adminWithSongtao, benchApi, benchConfig, devicesInVillages, dropBenchState, runBench } from './bench-kit';
import { cpuSeconds, cpuSince, floorMeasure, floorRender, loudnessLine, median, meterFile } from './media-floor';
import { SseListeners, wallClock } from './sse-listeners';
import { createHttpApp } from '../src/app';
import { createRootLogger } from '../src/infra/logging/logger';
import { firstPlan, type LoudnessMeasurement, SPOKEN_LOUDNESS } from '../src/media/domain/loudness';
import { SpeechSynthesizer } from '../src/media/speech-synthesizer';
import { describeTool, locateMediaTools } from '../src/media/tools/locate-tools';

// bench:tts — an emergency typed as text, from the operator's draft to a
// ready rendition through the whole service (HTTP, Postgres row, BullMQ job
// on the alert queue, worker: espeak-ng, render, metering, store, row ready),
// beside the floor: espeak-ng and the ffmpeg commands alone, run one after
// the other. Two floors: the single pass the pipeline makes for speech
// (espeak-ng, then one ffmpeg render with the voice's known gain), and the
// two-pass chain an unknown input needs (espeak-ng, measure, render). Rounds
// alternate floor and service, each with a text of its own (the same text
// would be found already rendered). After each ready rendition the alert is
// approved and the time until N devices' event streams carry it is taken
// (approval to loudspeaker). Target: service ÷ single-pass floor ≤ 1.5, and
// typed text on the loudspeakers within 3 s of approval.

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    chars: { type: 'string', default: '300' },
    devices: { type: 'string', default: '20' },
  },
});
const ROUNDS = Number(args.rounds);
const CHARS = Number(args.chars);
const DEVICES = Number(args.devices);
const COUNTY = '520628000000';
const ADMIN_PASSWORD = 'bench-admin-password';
const USER_PASSWORD = 'bench-user-password';
const TARGET_RATIO = 1.5;
const TARGET_APPROVAL_MS = 3000;
// Polling the media row this often measures to within it; the polling's own CPU is counted with the service's.
const POLL_MS = 50;

const ALERT =
  '松桃县防汛紧急通知：受强降雨影响，松江河水位快速上涨，沿河低洼地带的群众请立即向高处转移，' +
  '不要在河边逗留，不要涉水过河，老人和孩子请由家人陪同转移，村干部请逐户通知，确保不漏一户一人。';

function alertText(round: number): string {
  let text = `第${round + 1}号紧急通知。`;
  while ([...text].length < CHARS) text += ALERT;
  return [...text].slice(0, CHARS).join('');
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'dalaba-bench-tts-'));
  const database = `dalaba_bench_tts_${process.pid}`;
  const prefix = `benchtts${process.pid}`;
  const tools = locateMediaTools({
    ffmpeg: process.env.FFMPEG_PATH,
    ffprobe: process.env.FFPROBE_PATH,
    espeakNg: process.env.ESPEAK_NG_PATH,
  });
  const speech = new SpeechSynthesizer(tools.espeakNg);
  let listeners: SseListeners | undefined;
  let db: Client | undefined;
  const config = await benchConfig(database, prefix, { ADMIN_PASSWORD, MEDIA_DIR: join(work, 'media') });
  const app = await createHttpApp(config, createRootLogger('warn'));
  try {
    console.log(
      `bench:tts: ${ROUNDS} alerts of ${CHARS} characters, ${DEVICES} devices listening, ${availableParallelism()} CPUs`,
    );
    for (const tool of [tools.ffmpeg, tools.espeakNg]) console.log(`  ${describeTool(tool)}`);
    const { rendition } = config.media;
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const api = benchApi(base);
    const admin = await adminWithSongtao(api, config.admin.username, ADMIN_PASSWORD);
    for (const role of ['operator', 'approver']) {
      await api('POST', '/api/v1/users', 201, {
        token: admin,
        json: { username: `bench-${role}`, password: USER_PASSWORD, role, scopeCode: COUNTY },
      });
    }
    const login = async (username: string) =>
      (
        await api<{ accessToken: string }>('POST', '/api/v1/auth/login', 200, {
          json: { username, password: USER_PASSWORD },
        })
      ).accessToken;
    const operator = await login('bench-operator');
    const approver = await login('bench-approver');
    db = new Client({ connectionString: config.databaseUrl });
    await db.connect();
    const { tokens } = await devicesInVillages(db, COUNTY, DEVICES);
    listeners = await SseListeners.open(`${base}/api/v1/device/events`, tokens, 'emergency');

    const single: number[] = [];
    const twoPass: number[] = [];
    const service: number[] = [];
    const cpu = { single: [] as number[], service: [] as number[] };
    const approval: number[] = [];
    const outputs: LoudnessMeasurement[] = [];
    // Round 0 warms up (first job, first connections) and is not counted.
    for (let round = 0; round <= ROUNDS; round++) {
      const text = alertText(round);
      const wav = join(work, `floor-${round}.wav`);
      const mp3 = join(work, `floor-${round}.mp3`);

      let start = performance.now();
      let cpuBefore = cpuSeconds();
      await speech.speak(text, 'cmn', wav);
      await floorRender(tools.ffmpeg, wav, rendition, firstPlan(rendition, SPOKEN_LOUDNESS), mp3);
      const singleMs = performance.now() - start;
      const singleCpu = cpuSince(cpuBefore);

      start = performance.now();
      await speech.speak(text, 'cmn', wav);
      const measured = await floorMeasure(tools.ffmpeg, wav, rendition);
      await floorRender(tools.ffmpeg, wav, rendition, firstPlan(rendition, measured), mp3);
      const twoPassMs = performance.now() - start;

      start = performance.now();
      cpuBefore = cpuSeconds();
      const alert = await api<{ id: string; mediaId: string }>('POST', '/api/v1/emergencies', 201, {
        token: operator,
        json: {
          title: `防汛紧急通知 ${round + 1}`,
          level: 1,
          category: 'flood',
          regionCodes: [COUNTY],
          text,
          expiresAt: new Date(Date.now() + 3600_000).toISOString(),
          drill: true,
        },
      });
      let media: { status: string; error: string | null; sha256: string | null };
      for (;;) {
        media = await api('GET', `/api/v1/media/${alert.mediaId}`, 200, { token: operator });
        if (media.status !== 'processing') break;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      if (media.status !== 'ready') throw new Error(`the alert's audio failed: ${media.error}`);
      const serviceMs = performance.now() - start;
      const serviceCpu = cpuSince(cpuBefore);

      const collected = listeners.collect(alert.id, 10_000);
      const t0 = wallClock();
      await api('POST', `/api/v1/emergencies/${alert.id}/approve`, 200, { token: approver });
      const arrivals = (await collected).at.filter((at): at is number => at !== null);
      if (arrivals.length < tokens.length)
        throw new Error(`${tokens.length - arrivals.length} devices missed the alert`);
      const approvalMs = Math.max(...arrivals) - t0;
      await api('POST', `/api/v1/emergencies/${alert.id}/cancel`, 200, { token: approver, json: {} });

      const file = join(work, `service-${round}.mp3`);
      writeFileSync(file, Buffer.from(await (await fetch(`${base}/media/${media.sha256}.mp3`)).arrayBuffer()));
      if (round === 0) continue;
      outputs.push(await meterFile(tools.ffmpeg, file));
      single.push(singleMs);
      twoPass.push(twoPassMs);
      service.push(serviceMs);
      approval.push(approvalMs);
      cpu.single.push(singleCpu);
      cpu.service.push(serviceCpu);
      console.log(
        `  round ${round}: single-pass floor ${seconds(singleMs)} s, two-pass floor ${seconds(twoPassMs)} s, ` +
          `service ${seconds(serviceMs)} s; CPU single-pass ${singleCpu.toFixed(2)} s, service ${serviceCpu.toFixed(2)} s; approval to the last of ${DEVICES} devices ${approvalMs.toFixed(0)} ms`,
      );
    }
    const [s, t, q, a] = [median(single), median(twoPass), median(service), median(approval)];
    console.log(
      `  medians: single-pass floor ${seconds(s)} s, two-pass floor ${seconds(t)} s, service ${seconds(q)} s`,
    );
    console.log(
      `  ratio service ÷ single-pass floor: ${(q / s).toFixed(2)} (target ≤ ${TARGET_RATIO}) ${q / s <= TARGET_RATIO ? 'OK' : 'OVER TARGET'}; ÷ two-pass floor: ${(q / t).toFixed(2)}`,
    );
    const [cs, cq] = [median(cpu.single), median(cpu.service)];
    console.log(
      `  CPU time (this process and its ffmpeg/espeak-ng children): single-pass floor ${cs.toFixed(2)} s, service ${cq.toFixed(2)} s, ratio ${(cq / cs).toFixed(2)}`,
    );
    console.log(
      `  approval to loudspeaker: ${a.toFixed(0)} ms (median, last device; target ≤ ${TARGET_APPROVAL_MS} ms) ${a <= TARGET_APPROVAL_MS ? 'OK' : 'OVER TARGET'}; ` +
        `typed text to loudspeaker: ${seconds(q + a)} s`,
    );
    console.log(`  service renditions: ${loudnessLine(outputs, rendition)}`);
  } finally {
    await listeners?.close();
    await app.close();
    await db?.end();
    rmSync(work, { recursive: true, force: true });
    await dropBenchState(database, prefix);
  }
}

runBench(main);
