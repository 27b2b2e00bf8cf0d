import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, countyDate } from '../src/kernel/county-time';
import { Api } from './helpers/api';
import { ADMIN, clearQueuePrefix, testEnvironment } from './helpers/app';
import { createDatabaseFromTemplate, dropDatabase } from './helpers/databases';
import { DAXING, login, SONGTAO, songtaoCsv } from './helpers/factories';
import { audioFixture } from './helpers/media';
import { freePort, MAIN, spawnProcess, type Spawned, waitFor } from './helpers/processes';

const SIM = join(__dirname, '../dist/sim/main.js');
const TOMORROW = addDays(countyDate(new Date()), 1);
const DEVICES = 4;

/**
 * The simulator is a real device over real HTTP: it enrolls, pulls, checks
 * media, waits for 17:30 on its own (shifted) clock, plays, and reports. The
 * server is restarted while the devices wait: they air from what they hold
 * and report once it is back.
 */
describe('the endpoint simulator against the real service', () => {
  let database: string;
  let env: Record<string, string>;
  let server: Spawned;
  let api: Api;
  let token: string;
  let work: string;

  const startServer = async () => {
    // Restarted inside the first test, and still serving the second.
    server = spawnProcess(process.execPath, [MAIN], { ...process.env, ...env }, { lifetime: 'file' });
    await waitFor(
      'the service to listen',
      async () => ((await api.get('/health')).status === 200 ? true : undefined),
      60_000,
    );
  };

  beforeAll(async () => {
    database = await createDatabaseFromTemplate();
    work = mkdtempSync(join(tmpdir(), 'dalaba-sim-'));
    const port = await freePort();
    env = testEnvironment(database, { PORT: String(port), HOST: '127.0.0.1' });
    api = new Api(`http://127.0.0.1:${port}`);
    await startServer();
    token = await login({ api } as never, ADMIN.username, ADMIN.password);
    await api.post('/api/v1/regions/import', undefined, {
      token,
      raw: songtaoCsv(),
      headers: { 'content-type': 'text/csv' },
    });

    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(readFileSync(audioFixture('loud-stereo-48k.flac')))]), 'bed.flac');
    const uploaded = (await (
      await fetch(`${api.baseUrl}/api/v1/media`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      })
    ).json()) as { id: string };
    await waitFor('the clip', async () =>
      (await api.get(`/api/v1/media/${uploaded.id}`, { token })).body.status === 'ready' ? true : undefined,
    );
    for (const [title, region] of [
      ['县新闻', SONGTAO],
      ['大兴通知', DAXING],
    ]) {
      const programme = await api.post(
        '/api/v1/programmes',
        { title, category: 'policy', segments: [uploaded.id] },
        { token },
      );
      expect(
        (
          await api.post(
            '/api/v1/broadcasts',
            { programmeId: programme.body.id, regionCodes: [region], date: TOMORROW },
            { token },
          )
        ).status,
      ).toBe(201);
    }
  }, 120_000);

  afterAll(async () => {
    await server.stop();
    await dropDatabase(database);
    await clearQueuePrefix(env.QUEUE_PREFIX);
    rmSync(env.MEDIA_DIR, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('airs the rundown on every device on its own clock, through a server restart, and reports it', async () => {
    const sim = spawnProcess(
      process.execPath,
      [
        SIM,
        '--server',
        api.baseUrl,
        '--endpoints',
        String(DEVICES),
        '--region',
        DAXING,
        '--username',
        ADMIN.username,
        '--password',
        ADMIN.password,
        '--state',
        join(work, 'state.json'),
        '--date',
        TOMORROW,
        '--time-offset',
        'at:17:29:45',
        '--speed',
        '4',
        '--heartbeat-every',
        '2s',
        '--until-played',
        '--run-for',
        '90s',
        '--json',
      ],
      process.env,
    );
    try {
      // Once every device holds its playlist and media, the server goes away for a while.
      await waitFor(
        'every device to be ready',
        async () => {
          const readiness = await api.get(`/api/v1/regions/${DAXING}/readiness?date=${TOMORROW}`, { token });
          return readiness.body.total === DEVICES && readiness.body.ready === DEVICES ? true : undefined;
        },
        30_000,
      );
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await startServer();

      expect(await sim.exited).toBe(0);
      const summary = JSON.parse(
        sim
          .output()
          .trim()
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .at(-1)!,
      );
      expect(summary.items.played).toBe(DEVICES * 2);
      expect(summary.items.failed).toBe(0);
      expect(summary.media.verified).toBeGreaterThanOrEqual(DEVICES);
      expect(summary.media.mismatches).toBe(0);

      const coverage = await api.get(`/api/v1/regions/${DAXING}/coverage?date=${TOMORROW}`, { token });
      expect(coverage.body.items.map((item: any) => [item.title, item.totals.played, item.totals.missed])).toEqual([
        ['县新闻', DEVICES, 0],
        ['大兴通知', DEVICES, 0],
      ]);
      expect(
        coverage.body.items[0].regions.every((region: any) => region.regionCode.startsWith(DAXING.slice(0, 9))),
      ).toBe(true);
    } finally {
      await sim.stop();
    }
  }, 150_000);

  it('airs a pushed alert at once, acknowledged and played, as the delivery report shows', async () => {
    // Drafted by an operator: the admin set the approver's password, so may not have their own alert approved by it.
    const [operator, approver] = [`operator-${Date.now()}`, `approver-${Date.now()}`];
    expect(
      (
        await api.post(
          '/api/v1/users',
          { username: operator, password: 'operator-password', role: 'operator', scopeCode: SONGTAO },
          { token },
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await api.post(
          '/api/v1/users',
          { username: approver, password: 'approver-password', role: 'approver', scopeCode: SONGTAO },
          { token },
        )
      ).status,
    ).toBe(201);
    const operatorToken = await login({ api } as never, operator, 'operator-password');
    const approverToken = await login({ api } as never, approver, 'approver-password');
    const spoken = await api.post(
      '/api/v1/media/tts',
      { text: '大兴街道请注意，这是一次防汛演练。' },
      { token: operatorToken },
    );
    await waitFor('the spoken alert', async () =>
      (await api.get(`/api/v1/media/${spoken.body.id}`, { token: operatorToken })).body.status === 'ready'
        ? true
        : undefined,
    );

    const online = async () =>
      (await api.get(`/api/v1/endpoints?region=${DAXING}&online=true`, { token })).body.items.length as number;
    const onlineBefore = await online();
    const sim = spawnProcess(
      process.execPath,
      [
        SIM,
        '--server',
        api.baseUrl,
        '--endpoints',
        '2',
        '--region',
        DAXING,
        '--username',
        ADMIN.username,
        '--password',
        ADMIN.password,
        '--state',
        join(work, 'alert-state.json'),
        '--speed',
        '4',
        '--heartbeat-every',
        '2s',
        '--run-for',
        '60s',
        '--json',
      ],
      process.env,
    );
    try {
      await waitFor(
        'the simulated devices to come online',
        async () => ((await online()) >= onlineBefore + 2 ? true : undefined),
        30_000,
      );
      const expiresAt = new Date(Date.now() + 3600_000).toISOString();
      const drafted = await api.post(
        '/api/v1/emergencies',
        {
          title: '防汛演练',
          level: 2,
          category: 'flood',
          regionCodes: [DAXING],
          mediaId: spoken.body.id,
          repeat: 1,
          expiresAt,
          drill: true,
        },
        { token: operatorToken },
      );
      expect(
        (await api.post(`/api/v1/emergencies/${drafted.body.id}/approve`, undefined, { token: approverToken })).status,
      ).toBe(200);

      const delivery = await waitFor(
        'the devices to acknowledge and play the alert',
        async () => {
          const { totals } = (await api.get(`/api/v1/emergencies/${drafted.body.id}/delivery`, { token })).body;
          return totals.acknowledged >= 2 && totals.played >= 2 ? totals : undefined;
        },
        45_000,
      );
      // The four devices of the first test are enrolled in 大兴 too, but no longer running.
      expect(delivery).toMatchObject({ endpoints: 6, pushed: 2, acknowledged: 2, played: 2, failed: 0, notReached: 4 });
    } finally {
      await sim.stop();
    }
    expect(sim.output()).toContain('event emergency');
  }, 120_000);
});
