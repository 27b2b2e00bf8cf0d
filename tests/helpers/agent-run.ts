import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, countyDate, countyInstant, type LocalDate } from '../../src/kernel/county-time';
import type { PlaylistItem } from '../../src/scheduling/domain/playlist';
import { Api, type Reply } from './api';
import { ADMIN, clearQueuePrefix, testEnvironment } from './app';
import { createDatabaseFromTemplate, dropDatabase, sql } from './databases';
import { DAXING_VILLAGE, login, SONGTAO, songtaoCsv } from './factories';
import { freePort, MAIN, spawnProcess, type Spawned, waitFor } from './processes';

// The world the agent's proof runs in: the real server as a child process and
// the real agent as another, both on one clock shifted (by libfaketime) to
// just before the 17:30 slot of a county date, and everything the village is
// to hear made through the operators' HTTP API.

export const AGENT_MAIN = join(__dirname, '../../agent/dist/main.js');
/** The evening slot's start, minutes into the county day (docs/broadcasting.md). */
const EVENING_MINUTE = 17 * 60 + 30;

/** The evening slot's start on a county date, as an instant (epoch ms). */
export const slotStartOn = (date: LocalDate) => countyInstant(date, EVENING_MINUTE).getTime();

/** libfaketime's preload library, wherever Debian put it for this machine's architecture. */
export function faketimeLibrary(): string {
  const listed = execFileSync('dpkg', ['-L', 'libfaketime'], { encoding: 'utf8' })
    .split('\n')
    .find((path) => path.endsWith('/faketime/libfaketime.so.1'));
  if (!listed || !existsSync(listed)) throw new Error('libfaketime is not installed (apt-get install faketime)');
  return listed;
}

/**
 * A shifted clock for child processes: libfaketime reads the offset from a
 * file (re-read each second), so a test can move it while they run, and
 * every process given the same file agrees. Monotonic clocks stay real, so
 * timers and ffmpeg's pacing run at the machine's speed.
 */
export class ShiftedClock {
  private offsetMs = 0;
  constructor(readonly file: string) {
    this.setOffset(0);
  }

  /** Moves the clock of every process reading the file (within the second libfaketime caches it). */
  setOffset(offsetMs: number): void {
    // libfaketime takes whole seconds; the test reckons with the same rounded offset.
    const seconds = Math.round(offsetMs / 1000);
    this.offsetMs = seconds * 1000;
    writeFileSync(this.file, `${seconds >= 0 ? '+' : ''}${seconds}s\n`);
  }

  /** Shifts so that it is `instant` now (to the second). */
  setNow(instant: number): void {
    this.setOffset(instant - Date.now());
  }

  /** What the shifted processes read on their clocks now. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Real milliseconds until the shifted clock reads `instant`. */
  until(instant: number): number {
    return instant - this.now();
  }

  env(): Record<string, string> {
    return {
      LD_PRELOAD: faketimeLibrary(),
      FAKETIME_TIMESTAMP_FILE: this.file,
      FAKETIME_CACHE_DURATION: '1',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    };
  }

  /** Waits (in real time) until the shifted clock reads `instant`. */
  async sleepUntil(instant: number): Promise<void> {
    const wait = this.until(instant);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  /** Lets every process past libfaketime's one-second cache of the file (and Node's of its Date header). */
  settle(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 2_200));
  }
}

/** A small TCP relay between the agent and the server, which a test can cut as a cable is cut. */
export class Wire {
  private server!: Server;
  private readonly sockets = new Set<Socket>();
  private cutNow = false;
  /** Cut everything once this many bytes of a media download have passed (a download cut half-way). */
  private cutMediaAfter: number | undefined;
  port = 0;

  constructor(private readonly target: () => number) {}

  async open(): Promise<this> {
    this.server = createServer((client) => this.relay(client));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get isCut(): boolean {
    return this.cutNow;
  }

  /** Drops every connection, and every new one at once, until restored. */
  cut(): void {
    this.cutNow = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.cutNow = false;
  }

  /** The next media download is cut once `bytes` of its response have passed, and the wire stays cut. */
  cutDuringNextDownload(bytes: number): void {
    this.cutMediaAfter = bytes;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket): void {
    if (this.cutNow) {
      client.destroy();
      return;
    }
    const upstream = connect(this.target(), '127.0.0.1');
    this.sockets.add(client).add(upstream);
    let downloading = false;
    let passed = 0;
    client.on('data', (chunk: Buffer) => {
      if (this.cutMediaAfter !== undefined && chunk.includes('GET /media/')) downloading = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (downloading && this.cutMediaAfter !== undefined) {
        const room = this.cutMediaAfter - passed;
        passed += chunk.length;
        if (passed >= this.cutMediaAfter) {
          client.write(chunk.subarray(0, Math.max(0, room)), () => this.cut());
          this.cutMediaAfter = undefined;
          return;
        }
      }
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  }
}

/** One JSON line the agent logged. */
export type AgentEvent = { event: string; at?: number } & Record<string, unknown>;

export interface AgentProcess {
  spawned: Spawned;
  recording: string;
  stateDir: string;
  events(): AgentEvent[];
  /** Waits (up to `timeoutMs` real time) for a logged event that satisfies `match`. */
  waitForEvent(event: string, match?: (e: AgentEvent) => boolean, timeoutMs?: number): Promise<AgentEvent>;
  /** The instant (agent clock, epoch ms) of the recording's first sample, and its sample rate. */
  outputOpened(): Promise<{ at: number; sampleRate: number }>;
}

/** What the playlist told the village to air at 17:30, and the rendition it points at, downloaded as the reference. */
export interface Scheduled {
  itemId: string;
  startsAt: number;
  durationMs: number;
  sha256: string;
  reference: string;
}

export interface World {
  api: Api;
  clock: ShiftedClock;
  /** The county date whose 17:30 the proof is about, and that 17:30 as an instant. */
  date: LocalDate;
  slotStart: number;
  serverPort: number;
  server(): Spawned;
  startServer(): Promise<void>;
  /** Kills the server as a crash or power cut would (SIGKILL), to start it again on the same state. */
  killServer(): Promise<void>;
  /** A fresh admin token (the shifted clock may have aged the last one). */
  adminToken(): Promise<string>;
  /** A county operator's or approver's token (the admin who made both accounts may approve neither's alerts). */
  tokenOf(role: 'operator' | 'approver'): Promise<string>;
  /** A loudspeaker registered in the village, with its one-time enrollment code. */
  newEndpoint(name: string): Promise<{ id: string; enrollmentCode: string }>;
  /** A programme made of `audio` (uploaded, processed by the media pipeline) scheduled in the village's 17:30 slot (of `date`, default the world's). */
  schedule(audio: string, title: string, on?: LocalDate): Promise<Scheduled>;
  /** What the server holds of an endpoint's receipts for an item (Postgres is the truth). */
  receipts(endpointId: string, itemId: string): Promise<Array<{ outcome: string; startedAt: Date }>>;
  /** The alert's rendition, as the village playlist points at it once the alert is live. */
  emergencyRendition(alertId: string): Promise<string>;
  /** Runs the agent with its audio output going to a WAV file. */
  startAgent(options: AgentOptions): AgentProcess;
  work: string;
  close(): Promise<void>;
}

export interface AgentOptions {
  enrollmentCode: string;
  serial: string;
  /** Where the agent reaches the server (default: directly; a Wire's url to cut it off). */
  server?: string;
  stateDir?: string;
  /** Its own clock (default: the world's), for a test that jumps one agent's clock alone. */
  clock?: ShiftedClock;
  env?: Record<string, string>;
}

export const VILLAGE = DAXING_VILLAGE;

/**
 * The server (a child process under the shifted clock) with the regions of
 * Songtao imported. The clock starts ten minutes before the 17:30 of
 * tomorrow's county date, so that everything made before the slot is made
 * "before 17:30" on the server's clock; a test then moves it on to just
 * before the slot.
 */
export async function startWorld(): Promise<World> {
  const work = mkdtempSync(join(tmpdir(), 'dalaba-agent-proof-'));
  const clock = new ShiftedClock(join(work, 'clock'));
  const date = addDays(countyDate(new Date()), 1);
  const slotStart = slotStartOn(date);
  clock.setNow(slotStart - 10 * 60_000);

  const database = await createDatabaseFromTemplate();
  const serverPort = await freePort();
  const env = testEnvironment(database, { PORT: String(serverPort), HOST: '127.0.0.1' });
  const api = new Api(`http://127.0.0.1:${serverPort}`);
  let server: Spawned | undefined;
  const startServer = async () => {
    server = spawnProcess(process.execPath, [MAIN], { ...process.env, ...env, ...clock.env() }, { lifetime: 'file' });
    await waitFor(
      'the service to listen',
      async () => ((await api.get('/health')).status === 200 ? true : undefined),
      60_000,
    );
  };
  await startServer();
  // A server that ignored LD_PRELOAD (a static build, a missing library) would make every assertion about 17:30 moot.
  const served = Date.parse((await api.get('/health')).headers.get('date')!);
  if (Math.abs(served - clock.now()) > 2_000)
    throw new Error(`libfaketime did not shift the server's clock: it says ${new Date(served).toISOString()}`);
  const adminToken = () => login({ api } as never, ADMIN.username, ADMIN.password);
  const imported = await api.post('/api/v1/regions/import', undefined, {
    token: await adminToken(),
    raw: songtaoCsv(),
    headers: { 'content-type': 'text/csv' },
  });
  if (imported.status !== 200) throw new Error(`import failed: ${imported.status} ${JSON.stringify(imported.body)}`);

  const check = <T>(what: string, reply: Reply, status: number): T => {
    if (reply.status !== status) throw new Error(`${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body as T;
  };
  const accounts = new Set<string>();
  let witness: string | undefined;
  // What the village's loudspeakers are told, read as one of them reads it: a witness device of the village.
  const witnessPlaylist = async (on = date): Promise<PlaylistItem[]> => {
    if (!witness) {
      const endpoint = await world.newEndpoint('见证终端');
      const body = { enrollmentCode: endpoint.enrollmentCode, serial: 'WITNESS-1' };
      witness = check<{ token: string }>(
        'enrolling the witness',
        await api.post('/api/v1/devices/enroll', body),
        200,
      ).token;
    }
    const reply = await api.get<{ items: PlaylistItem[] }>(`/api/v1/device/playlist?date=${on}`, { token: witness });
    return reply.body.items ?? [];
  };
  /** The rendition a playlist item points at, as a device downloads it. */
  const download = async (item: PlaylistItem): Promise<string> => {
    const path = join(work, `${item.media!.sha256}.mp3`);
    const reply = await fetch(new URL(item.media!.url, api.baseUrl));
    if (!reply.ok) throw new Error(`downloading ${item.media!.url}: ${reply.status}`);
    writeFileSync(path, Buffer.from(await reply.arrayBuffer()));
    return path;
  };

  const world: World = {
    api,
    clock,
    date,
    slotStart,
    serverPort,
    work,
    server: () => server!,
    startServer,
    async killServer() {
      server!.child.kill('SIGKILL');
      await server!.exited;
    },
    adminToken,
    async tokenOf(role) {
      const account = { username: `county-${role}`, password: `county-${role}-password` };
      if (!accounts.has(role)) {
        const body = { ...account, role, scopeCode: SONGTAO };
        check(`creating the ${role}`, await api.post('/api/v1/users', body, { token: await adminToken() }), 201);
        accounts.add(role);
      }
      return login({ api } as never, account.username, account.password);
    },
    async newEndpoint(name) {
      const body = { regionCode: VILLAGE, name };
      return check<{ id: string; enrollmentCode: string }>(
        'registering a loudspeaker',
        await api.post('/api/v1/endpoints', body, { token: await adminToken() }),
        201,
      );
    },
    async schedule(audio, title, on = date) {
      const token = await adminToken();
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(readFileSync(audio))]), audio.split('/').at(-1));
      const uploaded = await fetch(`${api.baseUrl}/api/v1/media`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      const media = (await uploaded.json()) as { id: string };
      await waitFor(
        'the programme audio to be processed',
        async () =>
          (await api.get(`/api/v1/media/${media.id}`, { token })).body.status === 'ready' ? true : undefined,
        120_000,
      );
      const programme = check<{ id: string }>(
        'making the programme',
        await api.post('/api/v1/programmes', { title, category: 'policy', segments: [media.id] }, { token }),
        201,
      );
      check(
        'scheduling it',
        await api.post(
          '/api/v1/broadcasts',
          { programmeId: programme.id, regionCodes: [VILLAGE], date: on },
          { token },
        ),
        201,
      );
      const playlist = await waitFor('the playlist to carry the programme', async () =>
        (await witnessPlaylist(on)).find((item) => item.title === title),
      );
      return {
        itemId: playlist.id,
        startsAt: Date.parse(playlist.startsAt),
        durationMs: playlist.durationMs,
        sha256: playlist.media!.sha256,
        reference: await download(playlist),
      };
    },
    receipts: (endpointId, itemId) =>
      sql<{ outcome: string; startedAt: Date }>(
        database,
        'SELECT outcome, started_at AS "startedAt" FROM play_receipt WHERE endpoint_id = $1 AND item_id = $2',
        [endpointId, itemId],
      ),
    async emergencyRendition(alertId) {
      const item = await waitFor('the alert in the village playlist', async () =>
        (await witnessPlaylist()).find((found) => found.id === `emergency:${alertId}`),
      );
      return download(item);
    },
    startAgent(options) {
      const stateDir = options.stateDir ?? mkdtempSync(join(work, 'agent-state-'));
      const recording = join(mkdtempSync(join(work, 'recording-')), 'loudspeaker.wav');
      const spawned = spawnProcess(process.execPath, [AGENT_MAIN], {
        ...process.env,
        ...(options.clock ?? clock).env(),
        DALABA_SERVER: options.server ?? api.baseUrl,
        DALABA_ENROLLMENT_CODE: options.enrollmentCode,
        DALABA_SERIAL: options.serial,
        DALABA_STATE_DIR: stateDir,
        DALABA_AUDIO_OUTPUT: `wav:${recording}`,
        DALABA_HEARTBEAT_SECONDS: '2',
        DALABA_POLL_SECONDS: '5',
        ...options.env,
      });
      const events = () =>
        spawned
          .output()
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .flatMap((line) => {
            try {
              return [JSON.parse(line) as AgentEvent];
            } catch {
              return [];
            }
          });
      const waitForEvent = async (
        event: string,
        match: (e: AgentEvent) => boolean = () => true,
        timeoutMs = 60_000,
      ) => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const found = events().find((e) => e.event === event && match(e));
          if (found) return found;
          // An agent that died will not log it: say so now, with what it said, rather than at the deadline.
          const gone = spawned.child.exitCode !== null || spawned.child.signalCode !== null;
          if (gone || Date.now() > deadline)
            throw new Error(
              `${gone ? 'the agent exited' : 'timed out'} waiting for it to log ${event}\n--- agent output ---\n${spawned.output().slice(-4000)}`,
            );
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      };
      return {
        spawned,
        recording,
        stateDir,
        events,
        waitForEvent,
        async outputOpened() {
          const opened = await waitForEvent('output-opened');
          return { at: Number(opened.at), sampleRate: Number(opened.sampleRate) };
        },
      };
    },
    async close() {
      await server?.stop();
      await dropDatabase(database);
      await clearQueuePrefix(env.QUEUE_PREFIX);
      rmSync(env.MEDIA_DIR, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    },
  };
  return world;
}
