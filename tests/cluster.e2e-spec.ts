import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { type Cluster, type ProcessHandle, startCluster } from '../src/cli/cluster';
import { serverStates } from '../src/cli/cluster-haproxy';
import { addDays, countyDate } from '../src/kernel/county-time';
import { Api } from './helpers/api';
import { clearQueuePrefix, REDIS_URL, testEnvironment, type TestApp } from './helpers/app';
import { createDatabaseFromTemplate, dropDatabase } from './helpers/databases';
import {
  adminToken,
  createEndpoint,
  DAXING_VILLAGE,
  enroll,
  importSongtao,
  PANSHI_VILLAGE,
  SONGTAO,
  userToken,
} from './helpers/factories';
import { leftoversAfterJobs, makeTone, processesMentioning, settled, upload } from './helpers/media';
import { waitFor } from './helpers/processes';
import { ReconnectingDevice } from './helpers/reconnecting-device';

// Three API processes and two workers of the built service behind HAProxy, as
// a province runs them (src/cli/cluster.ts): devices whose event streams land
// on different processes hear each alert and each playlist change once; an
// API process killed mid-broadcast costs its devices one reconnect, no event;
// a worker killed mid-job costs the job a retry on the other worker, no job.
// A device's polls go to one process (by its token), moved only when that
// process is gone, and back when it returns.

const TOMORROW = addDays(countyDate(new Date()), 1);
const inHours = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();
const DEVICES_PER_VILLAGE = 3;
/** Long enough for a worker to be killed while ffmpeg is at it. */
const TONE_SECONDS = 60;

describe('several API processes and workers behind HAProxy', () => {
  let database: string;
  let env: Record<string, string>;
  let cluster: Cluster;
  let t: TestApp;
  let operator: string;
  let approver: string;
  let speech: { id: string };
  const devices: ReconnectingDevice[] = [];
  const tokens: string[] = [];
  /** The process answering each device's polls before one was killed. */
  let pollsBefore: string[];
  /** The alert and the playlist version of the undisturbed round, checked again later for repeats. */
  const told: Array<{ alert: string; version: string }> = [];
  /** The killed API process started again: its state in HAProxy once it is back. */
  let restarted: Promise<string | undefined> | undefined;

  const check = async <T = any>(what: string, reply: Promise<{ status: number; body: T }>, status: number) => {
    const { status: got, body } = await reply;
    if (got !== status) throw new Error(`${what}: ${got} ${JSON.stringify(body)}`);
    return body;
  };
  const approveAlert = async (title: string): Promise<string> => {
    const draft = await check<{ id: string }>(
      'draft',
      t.api.post(
        '/api/v1/emergencies',
        {
          title,
          level: 1,
          category: 'flood',
          regionCodes: [SONGTAO],
          mediaId: speech.id,
          expiresAt: inHours(2),
          drill: false,
        },
        { token: operator },
      ),
      201,
    );
    await check('approve', t.api.post(`/api/v1/emergencies/${draft.id}/approve`, undefined, { token: approver }), 200);
    return draft.id;
  };
  const cancelAlert = (id: string) =>
    check('cancel', t.api.post(`/api/v1/emergencies/${id}/cancel`, {}, { token: approver }), 200);
  /** A programme of the spoken clip scheduled tomorrow for the whole county; resolves with the new playlist version. */
  const changePlaylist = async (title: string): Promise<string> => {
    const programme = await check<{ id: string }>(
      'programme',
      t.api.post('/api/v1/programmes', { title, category: 'core_values', segments: [speech.id] }, { token: operator }),
      201,
    );
    const before = await playlistVersion();
    await check(
      'schedule',
      t.api.post(
        '/api/v1/broadcasts',
        { date: TOMORROW, programmeId: programme.id, regionCodes: [SONGTAO] },
        { token: operator },
      ),
      201,
    );
    return waitFor('the compile', async () => {
      const version = await playlistVersion();
      return version !== before ? version : undefined;
    });
  };
  const playlistVersion = async () =>
    (await t.api.get(`/api/v1/device/playlist?date=${TOMORROW}`, { token: witness })).body.version as string;
  let witness: string;
  /** Which process (X-Served-By) answers each device's playlist polls, asked three times: names joined if several did. */
  const pollServers = () =>
    Promise.all(
      tokens.map(async (token) => {
        const served = new Set<string>();
        for (let i = 0; i < 3; i++) {
          const reply = await fetch(`${cluster.url}/api/v1/device/playlist?date=${TOMORROW}`, {
            headers: { authorization: `Bearer ${token}` },
          });
          await reply.arrayBuffer();
          if (reply.status !== 200) throw new Error(`poll: ${reply.status}`);
          served.add(reply.headers.get('x-served-by') ?? '');
        }
        return [...served].sort().join(',');
      }),
    );
  const devicesBackend = async () => serverStates(await (await fetch(`${cluster.statsUrl}/;csv`)).text(), 'devices');

  /** Every device has heard `name` (matching) at least once; then returns how often each heard it. */
  const everyDeviceHears = async (name: string, matching: (data: any) => boolean) => {
    for (const device of devices)
      await waitFor(`${device.name} to hear ${name}`, async () =>
        device.events(name, matching).length ? true : undefined,
      );
    return devices.map((device) => device.events(name, matching).length);
  };

  beforeAll(async () => {
    database = await createDatabaseFromTemplate();
    // A killed worker's job is found stalled (and taken by the other) within a few seconds.
    env = testEnvironment(database, { QUEUE_LOCK_SECONDS: '2' });
    cluster = await startCluster({ api: 3, workers: 2, env });
    t = { url: cluster.url, api: new Api(cluster.url) } as unknown as TestApp;

    const admin = await adminToken(t);
    await importSongtao(t, admin);
    operator = await userToken(t, admin, 'operator', SONGTAO);
    approver = await userToken(t, admin, 'approver', SONGTAO);
    const tts = await t.api.post('/api/v1/media/tts', { text: '请注意，山洪预警，请立即转移。' }, { token: operator });
    speech = await settled(t, operator, tts.body.id);
    for (const [village, code] of [
      ['DX', DAXING_VILLAGE],
      ['PS', PANSHI_VILLAGE],
    ]) {
      for (let i = 1; i <= DEVICES_PER_VILLAGE; i++) {
        const endpoint = await createEndpoint(t, operator, code, `${village}-${i}`);
        const { token } = await enroll(t, endpoint.enrollmentCode, `SN-${village}-${i}`);
        witness ??= token;
        tokens.push(token);
        // One at a time, so that leastconn sees each stream before placing the next.
        devices.push(
          await new ReconnectingDevice(`${village}-${i}`, `${cluster.url}/api/v1/device/events`, token).connect(),
        );
      }
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all(devices.map((device) => device.close()));
    await cluster?.stop();
    await clearQueuePrefix(env.QUEUE_PREFIX);
    await dropDatabase(database);
    rmSync(env.MEDIA_DIR, { recursive: true, force: true });
  });

  it('runs HAProxy on a configuration it accepts, spreads the event streams over every API process, and sends each device`s polls to one', async () => {
    expect(() => execFileSync('haproxy', ['-c', '-q', '-f', cluster.configFile])).not.toThrow();
    const config = readFileSync(cluster.configFile, 'utf8');
    expect(config).toMatch(/option httpchk GET \/health/);
    expect(config).toMatch(/timeout tunnel/);
    const servedBy = devices.map((device) => device.current.servedBy);
    expect(new Set(servedBy)).toEqual(new Set(cluster.apis.map((api) => api.name)));

    expect(config).toMatch(/backend devices\n {2}balance hdr\(Authorization\)\n {2}hash-type consistent\n/);
    pollsBefore = await pollServers();
    for (const served of pollsBefore) expect(cluster.apis.map((api) => api.name)).toContain(served);
  });

  it('tells every device of an alert once and of a playlist change once, wherever it is connected', async () => {
    const alert = await approveAlert('山洪预警');
    expect(await everyDeviceHears('emergency', (data) => data.id === alert)).toEqual(devices.map(() => 1));
    await cancelAlert(alert);
    expect(await everyDeviceHears('emergency-cancelled', (data) => data.id === alert)).toEqual(devices.map(() => 1));

    const version = await changePlaylist('县新闻');
    expect(await everyDeviceHears('playlist-changed', (data) => data.version === version)).toEqual(
      devices.map(() => 1),
    );
    told.push({ alert, version });
  });

  it('loses no device when an API process is killed mid-broadcast: its devices reconnect to the others and hear what follows', async () => {
    // The process answering the first device's polls: every process holds streams too (the first test).
    const victim = cluster.apis.find((api) => api.name === pollsBefore[0])!;
    const orphans = devices.filter((device) => device.current.servedBy === victim.name);
    const alert = await approveAlert('山洪预警（二）');
    await cluster.kill(victim);

    // Every device has the alert: from the stream it had, or, if the process died first, on its new one.
    const heard = await everyDeviceHears('emergency', (data) => data.id === alert);
    // Devices on the other processes lost nothing and heard it once (an orphan may hear it again on its
    // new stream if its process wrote it but died before recording the push).
    expect(heard.filter((_, i) => !orphans.includes(devices[i]))).toEqual(
      devices.filter((device) => !orphans.includes(device)).map(() => 1),
    );
    for (const device of orphans) {
      await waitFor(`${device.name} to reconnect`, async () => (device.connections.length > 1 ? true : undefined));
      expect(device.current.servedBy).not.toBe(victim.name);
      expect(device.current.servedBy).not.toBe('');
    }
    // What follows reaches every device once, the orphans included.
    await cancelAlert(alert);
    expect(await everyDeviceHears('emergency-cancelled', (data) => data.id === alert)).toEqual(devices.map(() => 1));
    const version = await changePlaylist('县新闻（二）');
    expect(await everyDeviceHears('playlist-changed', (data) => data.version === version)).toEqual(
      devices.map(() => 1),
    );
    // Still once each for the earlier ones, the periodic sync of every process with Postgres having had its turns since.
    for (const earlier of told) {
      expect(devices.map((device) => device.events('emergency', (data) => data.id === earlier.alert).length)).toEqual(
        devices.map(() => 1),
      );
      expect(
        devices.map((device) => device.events('playlist-changed', (data) => data.version === earlier.version).length),
      ).toEqual(devices.map(() => 1));
    }
    // Polls: the victim's devices answered by another process each (the same for its three polls), no other moved.
    await waitFor('HAProxy to take the killed process out', async () =>
      (await devicesBackend()).get(victim.name)?.startsWith('DOWN') ? true : undefined,
    );
    const pollsAfter = await pollServers();
    const others = cluster.apis.filter((api) => api !== victim).map((api) => api.name);
    pollsBefore.forEach((before, i) => {
      if (before === victim.name) expect(others).toContain(pollsAfter[i]);
      else expect(pollsAfter[i]).toBe(before);
    });
    // Back in HAProxy once it answers again (checked after the next test, which it overlaps).
    restarted = cluster.restart(victim).then(async () => (await cluster.states()).get(victim.name));
  });

  it('loses no job when a worker is killed mid-job: the other worker finishes it', async () => {
    const tones = mkdtempSync(join(tmpdir(), 'dalaba-tone-'));
    try {
      const tone = join(tones, 'lecture.flac');
      makeTone(tone, TONE_SECONDS);
      const { body } = await upload(t, operator, tone);
      expect(body.status).toBe('processing');
      // The worker whose ffmpeg is at work on the upload: ffmpeg runs in its process group.
      const busy = await waitFor('a worker to be at work on the upload', async () => {
        const groups = processesMentioning(body.id).map(processGroup);
        return cluster.workers.find((worker) => groups.includes(worker.child.pid!));
      });
      const other = cluster.workers.find((worker) => worker !== busy) as ProcessHandle;
      await cluster.kill(busy);
      expect(processesMentioning(body.id)).toEqual([]);
      expect((await t.api.get(`/api/v1/media/${body.id}`, { token: operator })).body.status).toBe('processing');

      const media = await settled(t, operator, body.id, 120_000);
      expect(media).toMatchObject({ status: 'ready' });
      expect(Math.abs(media.durationMs / 1000 - TONE_SECONDS)).toBeLessThan(0.2);
      expect(other.alive).toBe(true);
      // Taken over as BullMQ takes a dead worker's job: found stalled, then run again.
      const queue = new Queue('media', { connection: { url: REDIS_URL }, prefix: env.QUEUE_PREFIX });
      try {
        expect((await queue.getJob(`media-${body.id}`))?.stalledCounter).toBeGreaterThanOrEqual(1);
      } finally {
        await queue.close();
      }
      expect(await leftoversAfterJobs(env.MEDIA_DIR)).toEqual([]);
      expect(await restarted).toBe('UP');
      // Its devices' polls are its own again.
      expect(await pollServers()).toEqual(pollsBefore);
    } finally {
      rmSync(tones, { recursive: true, force: true });
    }
  }, 150_000);
});

/** A process's group id, from /proc (field 5 of stat, after the parenthesised command name). */
function processGroup(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return 0;
  }
}
