import { createHash, randomUUID } from 'node:crypto';
import { statfs } from 'node:fs/promises';
import { AudioEngine, LEAD_MS } from './audio';
import { isDiskFull, MediaCache } from './cache';
import { ClockCheck, JumpWatcher } from './clock-check';
import { CommandBook, Commands } from './commands';
import { ConfigError, type AgentConfig } from './config';
import { Horn } from './horn';
import { Playlists } from './playlists';
import type { Journal } from './journal';
import {
  alertItem,
  type AlertEvent,
  type Airing,
  describe,
  Http,
  listen,
  liveItem,
  type Outcome,
  parseJson,
  ReceiptOutbox,
  reason,
  Scheduler,
  type SseEvent,
  zoneIso,
} from './protocol';
import { Heartbeats, type HeartbeatBody } from './heartbeat';
import { DiskQueue, DiskReceipts } from './queue';
import { type Credentials, StateDir } from './state';
import { EXIT_CONFIG, EXIT_RESTART, VERSION } from './version';

// A download that failed is tried again this soon at the latest, however rare the polls.
const MEDIA_RETRY_MS = 30_000;
// Soon after the held media changes, a heartbeat tells the server's readiness check.
const HELD_CHANGED_HEARTBEAT_MS = 2000;
// Heartbeats kept while offline (a week at one a minute would be 10,000: only the recent ones say anything).
const QUEUED_HEARTBEATS = 500;
const JUMP_CHECK_MS = 1000;
const JUMP_MS = 2000;
// Free space that ends a disk-full fault: a rendition or two.
const ROOM_AGAIN_BYTES = 64 * 1024 ** 2;
const FAULT_ORDER = ['clock-offset', 'audio-output', 'disk-full', 'media-corrupt'];

/** The endpoint program: enrolls, keeps its playlists and media, airs them on time, and reports. */
export class Agent {
  private readonly stop = new AbortController();
  private readonly clock = { now: () => Date.now() + LEAD_MS };
  private readonly scheduler = new Scheduler(this.clock);
  private readonly http: Http;
  private readonly state: StateDir;
  private readonly check: ClockCheck;
  private readonly jumps = new JumpWatcher(JUMP_MS, (jumpMs) => this.clockJumped(jumpMs));
  private readonly engine: AudioEngine;
  private readonly horn: Horn;
  private readonly commands: Commands;
  private readonly heartbeats: Heartbeats;
  private outbox!: ReceiptOutbox;
  private credentials!: Credentials;
  private readonly faults = new Map<string, string>();
  private readonly playlists: Playlists;
  private online: boolean | undefined;
  private exitCode = 0;
  private done!: (code: number) => void;

  constructor(
    private readonly config: AgentConfig,
    private readonly journal: Journal,
  ) {
    this.http = new Http(config.server, this.stop.signal, this.scheduler, journal);
    this.state = new StateDir(config.stateDir);
    this.check = new ClockCheck(config.maxClockOffsetMs);
    const settings = this.state.settings();
    this.engine = new AudioEngine(config, journal, (why) => this.fault('audio-output', why));
    this.engine.volume = settings.volume;
    this.engine.muted = settings.muted;
    this.horn = new Horn({
      clock: this.clock,
      scheduler: this.scheduler,
      engine: this.engine,
      cache: new MediaCache(this.state.file('media'), this.http, this.stop.signal),
      journal,
      retryMs: Math.min(config.pollMs, MEDIA_RETRY_MS),
      // A jump the periodic check has not seen yet holds what it made due, as one it has seen does.
      clockFault: () => (this.jumps.pending() ? 'the clock was just set and is not yet measured' : this.check.fault()),
      fault: (code, text) => this.fault(code, text),
      aired: (item, outcome, startedAt, endedAt) => this.receipt(item, outcome, startedAt, endedAt),
      heldChanged: () => this.heartbeats.schedule(HELD_CHANGED_HEARTBEAT_MS),
    });
    this.commands = new Commands({
      book: new CommandBook(this.state.commands(), (outcomes) =>
        this.durably('commands', () => this.state.saveCommands(outcomes, Date.now())),
      ),
      http: this.http,
      token: () => this.credentials.token,
      signal: this.stop.signal,
      journal,
      engine: this.engine,
      horn: this.horn,
      saveSettings: () =>
        this.durably('settings', () =>
          this.state.saveSettings({ volume: this.engine.volume, muted: this.engine.muted }),
        ),
      refetch: async () => {
        await this.playlists.pullAll(true);
        return this.playlists.dates();
      },
      restart: () => this.shutdown(EXIT_RESTART, 'restart command'),
    });
    this.playlists = new Playlists({
      config,
      journal,
      http: this.http,
      state: this.state,
      horn: this.horn,
      check: this.check,
      token: () => this.credentials.token,
      signal: this.stop.signal,
      clockChecked: () => this.clockChecked(),
      revoked: () => this.revoked('playlist'),
      durably: (what, write) => this.durably(what, write),
    });
    this.heartbeats = new Heartbeats({
      config,
      journal,
      scheduler: this.scheduler,
      signal: this.stop.signal,
      queue: new DiskQueue(this.state.file('heartbeats.jsonl'), QUEUED_HEARTBEATS, (error) =>
        this.writeFailed('heartbeats', error),
      ),
      token: () => this.credentials.token,
      check: this.check,
      body: () => this.heartbeatBody(),
      reachable: (online, why) => this.reachable(online, why),
      clockChecked: () => this.clockChecked(),
      revoked: () => this.revoked('heartbeat'),
    });
  }

  /** Runs until SIGTERM (0), a restart command (EXIT_RESTART) or a revoked token (EXIT_CONFIG). */
  async run(): Promise<number> {
    const finished = new Promise<number>((resolve) => (this.done = resolve));
    try {
      this.credentials = await this.enroll();
    } catch (error) {
      // Stopped while still waiting for the server to enroll: a stop, not a failure.
      if (this.stop.signal.aborted) return this.exitCode;
      throw error;
    }
    this.outbox = new ReceiptOutbox({
      who: 'receipts',
      token: this.credentials.token,
      http: this.http,
      report: this.journal,
      scheduler: this.scheduler,
      retryLaterMs: this.config.pollMs,
      store: new DiskReceipts(this.state.file('receipts.jsonl'), Infinity, (error) =>
        this.writeFailed('receipts', error),
      ),
      revoked: () => this.revoked('receipts'),
      drained: () => undefined,
      posted: (count, answer) => this.journal.event('flushed', { receipts: count, answer }),
      notAvailable: () => undefined,
    });
    this.engine.open();
    // Offline first: what was pulled before airs whether or not the server answers now.
    for (const playlist of this.state.playlists()) this.horn.air.playlists.set(playlist.date, playlist);
    this.playlists.forgetOld();
    await this.horn.cache.scan();
    void this.horn.cache.verifyAll().then((corrupt) => {
      for (const sha256 of corrupt) this.horn.corrupt(sha256, 'found damaged on the card at start');
      // Fetched again at once, if still wanted.
      if (corrupt.length > 0) this.horn.refresh();
    });
    this.horn.refresh();
    this.outbox.flush(this.stop.signal);
    const watching = setInterval(() => this.jumps.check(), JUMP_CHECK_MS);
    void this.heartbeats.beat();
    void listen({
      who: 'events',
      token: this.credentials.token,
      http: this.http,
      report: this.journal,
      scheduler: this.scheduler,
      signal: this.stop.signal,
      notAvailableRetryMs: this.config.pollMs,
      onEvent: (event) => this.onEvent(event),
      notAvailable: () => undefined,
      reconnected: () => void this.playlists.pullAll(false),
      revoked: () => this.revoked('events'),
    });
    void this.playlists.pullAll(false);
    this.poll();
    const code = await finished;
    clearInterval(watching);
    return code;
  }

  /** SIGTERM, a restart command, a revoked token: cut off what plays, keep what is queued (it is on disk), close the output. */
  async shutdown(code: number, why: string): Promise<void> {
    if (this.stop.signal.aborted) return;
    this.exitCode = code;
    this.journal.event('stopping', { why, code });
    this.horn.player.stop(why);
    // A last chance for the receipts; what does not reach the server now waits on disk for the next start.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), 3000);
    await this.outbox?.drain(deadline.signal).catch(() => undefined);
    clearTimeout(timer);
    this.stop.abort();
    this.scheduler.stop();
    await this.engine.shutdown();
    this.done(this.exitCode);
  }

  private async enroll(): Promise<Credentials> {
    const { enrollmentCode, server, serial } = this.config;
    const held = this.state.credentials();
    const code = enrollmentCode ? createHash('sha256').update(enrollmentCode).digest('hex') : undefined;
    // A new code in the env file means the device was replaced or re-registered: enroll again with it.
    if (held && held.server === server && (!code || held.codeDigest === code)) return held;
    if (!enrollmentCode) throw new ConfigError('DALABA_ENROLLMENT_CODE is required until the device has enrolled');
    const answer = await this.http.call(
      'POST',
      '/api/v1/devices/enroll',
      { who: 'enroll', json: { enrollmentCode, serial } },
      async (response) =>
        response.ok ? ((await response.json()) as { endpointId: string; token: string }) : reason(response),
    );
    if (typeof answer === 'string') throw new ConfigError(`enrollment refused: ${answer}`);
    const credentials = { endpointId: answer.endpointId, token: answer.token, server, serial, codeDigest: code };
    // On a full card the token is kept in memory: the agent airs and reports now, and says the card is full.
    this.durably('credentials', () => this.state.saveCredentials(credentials));
    this.journal.event('enrolled', { endpointId: answer.endpointId, serial });
    return credentials;
  }

  private async heartbeatBody(): Promise<HeartbeatBody> {
    const disk = await statfs(this.config.stateDir).catch(() => undefined);
    const freeBytes = disk ? disk.bavail * disk.bsize : undefined;
    // Room again (someone cleaned up, pruning freed some): the full card is no longer the news.
    if (freeBytes !== undefined && freeBytes >= ROOM_AGAIN_BYTES) this.fault('disk-full', undefined);
    const fault = FAULT_ORDER.find((code) => this.faults.has(code));
    const offset = this.check.offsetMs;
    return {
      version: `dalaba-agent/${VERSION}`,
      state: fault ? 'fault' : this.horn.player.playing ? 'playing' : 'idle',
      ...(fault ? { fault: { code: fault, text: this.faults.get(fault)!.slice(0, 200) } } : {}),
      volume: this.engine.volume,
      muted: this.engine.muted,
      playing: this.horn.player.playing,
      ...(freeBytes === undefined ? {} : { freeBytes }),
      ...(offset === undefined ? {} : { clockOffsetMs: offset }),
      held: {
        playlists: [...this.horn.air.playlists.values()].map(({ date, version }) => ({ date, version })),
        media: this.horn.cache.digests(),
      },
    };
  }

  private reachable(online: boolean, why?: string): void {
    if (this.online === online) return;
    this.online = online;
    this.journal.event(online ? 'online' : 'offline', why ? { why } : {});
    if (!online) return;
    this.outbox.flush(this.stop.signal);
  }

  private clockChecked(): void {
    const fault = this.check.fault();
    const was = this.faults.get('clock-offset');
    this.fault('clock-offset', fault);
    if (fault !== was) this.journal.event('clock', { offsetMs: this.check.offsetMs, fault: fault ?? null });
    this.horn.clockChecked(this.check.offsetMs, fault === undefined);
  }

  /** The wall clock was set: measure again, and let every timer wait by the new time. */
  private clockJumped(jumpMs: number): void {
    this.journal.event('clock', { jumpMs });
    this.check.forget();
    this.engine.reanchor();
    this.horn.clockJumped(jumpMs);
    this.scheduler.rearm();
    void this.heartbeats.beat();
  }

  /** A write to the card that must not stop the agent: a full card is a fault to report, the rest an error to log. */
  private durably(what: string, write: () => void): void {
    try {
      write();
    } catch (error) {
      this.writeFailed(what, error);
    }
  }

  private writeFailed(what: string, error: unknown): void {
    if (isDiskFull(error)) this.fault('disk-full', `cannot write ${what}: no space left`);
    else this.journal.error(what, describe(error));
  }

  private fault(code: string, text: string | undefined): void {
    const was = this.faults.get(code);
    if (text === was) return;
    if (text === undefined) this.faults.delete(code);
    else this.faults.set(code, text);
    this.journal.event(text === undefined ? 'fault-cleared' : 'fault', { code, ...(text ? { text } : {}) });
    this.heartbeats.schedule(HELD_CHANGED_HEARTBEAT_MS);
  }

  private receipt(item: Airing, outcome: Outcome | 'acknowledged', startedAt: number, endedAt: number): void {
    this.outbox.add(
      { id: randomUUID(), itemId: item.id, startedAt: zoneIso(startedAt), endedAt: zoneIso(endedAt), outcome },
      this.stop.signal,
    );
    if (this.online === false) this.journal.event('queued', { receipts: this.outbox.size });
  }

  private poll(): void {
    this.scheduler.after(this.config.pollMs, () => {
      void this.playlists.pullAll(false);
      this.poll();
    });
  }

  private onEvent(event: SseEvent): void {
    const data = parseJson(event.data) as Record<string, unknown>;
    this.journal.event('sse', { type: event.type, id: event.lastEventId });
    if (event.type === 'playlist-changed') {
      const { date, version } = data as { date?: string; version?: string };
      if (date && this.playlists.dates().includes(date) && this.horn.air.playlists.get(date)?.version !== version)
        void this.playlists.pull(date, false);
    } else if (event.type === 'emergency') {
      void this.horn.alert(alertItem(data as unknown as AlertEvent));
    } else if (event.type === 'emergency-cancelled') {
      if (typeof data.itemId === 'string') this.horn.cancelAlert(data.itemId);
    } else if (event.type === 'live-started') {
      const item = liveItem(event.data, this.clock.now(), Date.now());
      if (typeof item === 'string') this.journal.error('events', item);
      else this.horn.player.live(item);
    } else if (event.type === 'live-ended') {
      if (typeof data.itemId === 'string')
        this.horn.player.endStream(data.itemId, 'played', `live-ended (${String(data.reason)})`);
    } else if (event.type === 'command') void this.commands.heard(data);
  }

  /** The server no longer knows the token: nothing more can be pulled or reported until a person enrolls it again. */
  private revoked(where: string): void {
    this.journal.event('revoked', { where });
    void this.shutdown(EXIT_CONFIG, `token refused on ${where}: enroll again with a new code`);
  }
}
