import { Queue } from 'bullmq';
import { QueueName } from '../src/infra/queue/jobs';
import { startApp, type TestApp } from './helpers/app';
import { adminToken, DAXING, importSongtao, SONGTAO, userToken } from './helpers/factories';
import { audioFixture, upload } from './helpers/media';
import { waitFor } from './helpers/processes';

const inHours = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();
// Long enough that each job takes a while to speak and encode.
const LECTURE_TEXT = '各位村民大家好，今天我们来学习乡村振兴政策，讲一讲移风易俗和邻里和睦的道理。'.repeat(3);

describe('alert audio jumps every media queue', () => {
  let t: TestApp;

  // One worker slot for media: without its own queue, the alert's audio waits behind the whole backlog.
  beforeAll(async () => {
    t = await startApp({ MEDIA_CONCURRENCY: '1' });
  }, 60_000);
  afterAll(() => t.close());

  it("alerts drafted from text, or from an upload still queued, are ready (and approvable) while a lecturer's 30 text-to-speech jobs are still mostly waiting", async () => {
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    const lecturer = await userToken(t, admin, 'lecturer', DAXING);
    const operator = await userToken(t, admin, 'operator', SONGTAO);
    const approver = await userToken(t, admin, 'approver', SONGTAO);

    const backlog: string[] = [];
    for (let i = 0; i < 30; i++) {
      const reply = await t.api.post(
        '/api/v1/media/tts',
        { text: `第${i + 1}讲。${LECTURE_TEXT}` },
        { token: lecturer },
      );
      expect(reply.status).toBe(202);
      backlog.push(reply.body.id);
    }

    const draft = (body: Record<string, unknown>) =>
      t.api.post(
        '/api/v1/emergencies',
        { level: 1, category: 'flood', regionCodes: [DAXING], expiresAt: inHours(2), drill: true, ...body },
        { token: operator },
      );
    const recording = await upload(t, operator, audioFixture('phone-recording.m4a'));
    expect(recording.status).toBe(202);
    const alerts = [
      await draft({ title: '山洪预警', text: '大兴街道请注意，山洪即将到来，请立即转移到高处。' }),
      await draft({ title: '山洪预警（录音）', mediaId: recording.body.id }),
    ];
    for (const alert of alerts) {
      expect(alert.status).toBe(201);
      await waitFor(
        `the audio of ${alert.body.title} to be ready`,
        async () => {
          const media = await t.api.get(`/api/v1/media/${alert.body.mediaId}`, { token: operator });
          expect(media.body.status).not.toBe('failed');
          return media.body.status === 'ready' ? true : undefined;
        },
        120_000,
      );
    }

    const states = await Promise.all(
      backlog.map(async (id) => (await t.api.get(`/api/v1/media/${id}`, { token: lecturer })).body.status),
    );
    const waiting = states.filter((status) => status === 'processing').length;
    expect(waiting).toBeGreaterThan(backlog.length / 2);

    for (const alert of alerts) {
      const approved = await t.api.post(`/api/v1/emergencies/${alert.body.id}/approve`, undefined, { token: approver });
      expect(approved.status).toBe(200);
    }
  }, 300_000);
});

describe('alert audio is re-derived from Postgres', () => {
  it('re-queues a lost alert-audio job on the alert queue, not behind routine media', async () => {
    // No worker: the job waits in Redis, where the test can lose it.
    const t = await startApp({ APP_ROLE: 'api', MEDIA_SWEEP_SECONDS: '1' });
    const queues = (name: QueueName) =>
      new Queue(name, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    const [alertAudio, media] = [queues(QueueName.AlertAudio), queues(QueueName.Media)];
    try {
      const admin = await adminToken(t);
      await importSongtao(t, admin);
      const operator = await userToken(t, admin, 'operator', SONGTAO);
      const drafted = await t.api.post(
        '/api/v1/emergencies',
        {
          title: '地震预警',
          level: 1,
          category: 'earthquake',
          regionCodes: [DAXING],
          text: '请注意，地震即将到来。',
          expiresAt: inHours(2),
          drill: true,
        },
        { token: operator },
      );
      expect(drafted.status).toBe(201);
      const jobId = `alert-audio-${drafted.body.mediaId}`;
      const first = await waitFor('the alert-audio job', async () => (await alertAudio.getJob(jobId)) ?? undefined);

      await alertAudio.obliterate({ force: true });
      const again = await waitFor('the sweep to re-queue it', async () => {
        const job = await alertAudio.getJob(jobId);
        return job && job.timestamp > first.timestamp ? job : undefined;
      });
      expect(await again.getState()).toBe('waiting');
      expect(await media.getJob(`media-${drafted.body.mediaId}`)).toBeUndefined();
    } finally {
      await Promise.all([alertAudio.close(), media.close()]);
      await t.close();
    }
  }, 120_000);
});
