import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import type { ServerResponse } from 'node:http';
import type { DevicePrincipal } from '../auth/access.decorator';
import { Metrics } from '../infra/metrics/metrics';
import { AlertEvent, BusMessages, EventBus, LiveEvent } from '../infra/redis/event-bus';
import { covers, RegionPath } from '../kernel/region';
import { PlaylistStore } from '../scheduling/playlist-store';
import { EndpointsRepository } from './endpoints.repository';

// How soon a device should reconnect after losing the stream.
const RETRY_MS = 5_000;

interface Connection {
  device: DevicePrincipal;
  path: RegionPath;
  response: ServerResponse;
  /** Its own region, township and county: an alert for any of them reaches it. */
  codes: string[];
  /** Alert events written to this stream, so a repeated dispatch tells it nothing twice. */
  told: Set<string>;
}

/**
 * The devices connected to this process over Server-Sent Events, by region.
 * Every process hears every playlist change and every alert (through the
 * event bus) and tells its own connected devices, so a device may be
 * connected to any process.
 */
@Injectable()
export class DeviceEventHub implements OnModuleInit, OnModuleDestroy {
  private readonly byRegion = new Map<string, Set<Connection>>();
  // Every connection under each of the county, township and village codes of its path: an alert's targets.
  private readonly underCode = new Map<string, Set<Connection>>();
  // Each device's open streams, oldest first.
  private readonly byDevice = new Map<string, Connection[]>();
  // Live alerts this process has heard of, for devices connecting while they run.
  private readonly live = new Map<string, { message: BusMessages['emergency']; heardAt: number }>();
  // Live voice streams this process has heard of, likewise.
  private readonly streams = new Map<string, { message: BusMessages['live']; heardAt: number }>();
  private heartbeat?: NodeJS.Timeout;
  // Told of every stream that opens (commands waiting for the device go out then).
  private readonly connectListeners: Array<(endpointId: string) => void> = [];
  private readonly logger = new Logger('DeviceEventHub');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly playlists: PlaylistStore,
    private readonly bus: EventBus,
    private readonly endpoints: EndpointsRepository,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    this.bus.on('emergency', (message) => {
      this.onAlert(message).catch((error: Error) =>
        this.logger.warn(`pushing alert ${message.alert.id}: ${error.message}`),
      );
    });
    this.bus.on('live', (message) => this.onStream(message));
    this.playlists.onChange((date, changes) => {
      for (const [regionCode, version] of changes) {
        for (const connection of [...(this.byRegion.get(regionCode) ?? [])])
          this.send(connection, 'playlist-changed', { date, version });
      }
    });
    // Proxies and NATs drop idle connections after 30–60 s; a comment well inside that keeps them.
    this.heartbeat = setInterval(() => {
      for (const connections of [...this.byDevice.values()])
        for (const connection of connections) this.write(connection, ': heartbeat\n\n');
    }, this.config.endpoints.eventsHeartbeatSeconds * 1000);
    this.heartbeat.unref();
  }

  /**
   * Starts a device's stream. Event ids are the server's clock in ms; a device
   * reconnecting with Last-Event-ID is told of every playlist compiled since.
   */
  async open(
    device: DevicePrincipal,
    path: RegionPath,
    response: ServerResponse,
    lastEventId: string | undefined,
    missed: () => Promise<Array<{ date: string; version: string; compiledAt: number }>>,
  ): Promise<void> {
    // The device may have hung up while its token or region was looked up:
    // its 'close' has fired already, so a stream registered now would never leave.
    if (response.destroyed) return;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write(`retry: ${RETRY_MS}\n\n`);
    const codes = [
      device.regionCode,
      ...new Set(
        [path.townshipCode, path.countyCode].filter(
          (code): code is string => code !== null && code !== device.regionCode,
        ),
      ),
    ];
    const connection: Connection = { device, path, response, codes, told: new Set() };
    this.register(connection);
    response.on('close', () => this.unregister(connection));
    for (const listener of this.connectListeners) listener(device.endpointId);
    this.catchUpOnStreams(connection);
    await this.catchUpOnAlerts(connection);
    const since = Number(lastEventId);
    if (lastEventId !== undefined && Number.isFinite(since)) {
      for (const playlist of await missed()) {
        if (playlist.compiledAt > since)
          this.send(connection, 'playlist-changed', { date: playlist.date, version: playlist.version });
      }
    }
  }

  /**
   * Pushes an alert that went live to the connected devices it reaches, once
   * each; tells them when one is cancelled. A retried dispatch (`recheck`)
   * may reach a process that restarted since the first push and forgot it:
   * then Postgres says which devices were pushed already, by any process.
   */
  private async onAlert(message: BusMessages['emergency']): Promise<void> {
    const { alert } = message;
    if (message.action === 'activate') this.live.set(alert.id, { message, heardAt: Date.now() });
    else this.live.delete(alert.id);
    if (message.action === 'end' && !message.cancelled) return;
    const event = message.action === 'activate' ? 'emergency' : 'emergency-cancelled';
    const data = message.action === 'activate' ? alert : { id: alert.id, itemId: alert.itemId, drill: alert.drill };
    const reaching = [...new Set(message.targets.flatMap((target) => [...(this.underCode.get(target) ?? [])]))];
    const pushedBefore =
      message.action === 'activate' && message.recheck
        ? await this.endpoints.pushedEndpoints(
            alert.id,
            reaching.map((c) => c.device.endpointId),
          )
        : new Set<string>();
    // One frame for every stream: the same bytes are written to each.
    const frame = `id: ${Date.now()}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    // A device counts as pushed once a live stream of it was written to.
    const reached = new Set<string>();
    for (const connection of reaching) {
      const { endpointId } = connection.device;
      if (pushedBefore.has(endpointId) || !firstTime(connection, event, alert.id)) continue;
      if (this.write(connection, frame, event)) reached.add(endpointId);
    }
    if (message.action === 'activate' && reached.size)
      await this.endpoints.recordPushes(alert.id, [...reached], new Date());
  }

  /**
   * Brings this process's view of live alerts in line with Postgres (given as
   * the messages their dispatch would have published): an alert that went
   * live while the process was starting, or whose message pub/sub dropped, is
   * pushed now; a cancellation it missed is told. Called every few seconds
   * with what Postgres held at readAt.
   */
  async syncLive(current: Array<BusMessages['emergency']>, readAt: number): Promise<void> {
    for (const message of current) {
      const known = this.live.has(message.alert.id);
      if (message.action === 'activate' ? !known : known) await this.onAlert({ ...message, recheck: true });
    }
    // One that expired unheard is simply no longer live (devices know its expiry); one heard of after Postgres was read may be newer.
    const live = new Set(current.filter((message) => message.action === 'activate').map((message) => message.alert.id));
    for (const [id, { heardAt }] of this.live) if (!live.has(id) && heardAt < readAt) this.live.delete(id);
  }

  /**
   * Tells the connected devices a live stream reaches that it started (play
   * it) or ended, once each. Nothing is recorded of it: a device that missed
   * the start and connects later is told then, and one that missed the end
   * finds the stream ended.
   */
  private onStream(message: BusMessages['live']): void {
    const { live } = message;
    if (message.action === 'start') this.streams.set(live.id, { message, heardAt: Date.now() });
    else this.streams.delete(live.id);
    const event = message.action === 'start' ? 'live-started' : 'live-ended';
    const data =
      message.action === 'start' ? live : { id: live.id, itemId: live.itemId, reason: message.reason ?? null };
    const frame = `id: ${Date.now()}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const connection of new Set(message.targets.flatMap((target) => [...(this.underCode.get(target) ?? [])]))) {
      if (firstTime(connection, event, live.id)) this.write(connection, frame, event);
    }
  }

  /** Brings this process's view of live streams in line with Postgres, as syncLive does for alerts. */
  syncStreams(current: Array<BusMessages['live']>, readAt: number): void {
    for (const message of current) {
      const known = this.streams.has(message.live.id);
      if (message.action === 'start' ? !known : known) this.onStream(message);
    }
    const open = new Set(current.filter((message) => message.action === 'start').map((message) => message.live.id));
    for (const [id, { heardAt }] of this.streams) if (!open.has(id) && heardAt < readAt) this.streams.delete(id);
  }

  private catchUpOnStreams(connection: Connection): void {
    for (const { message } of this.streams.values()) {
      if (!message.targets.some((code) => covers(code, connection.path))) continue;
      if (firstTime(connection, 'live-started', message.live.id)) this.send(connection, 'live-started', message.live);
    }
  }

  /** A device connecting while an alert it is a target of runs is pushed it, unless some process already did. */
  private async catchUpOnAlerts(connection: Connection): Promise<void> {
    const reaching = [...this.live.values()]
      .map(({ message }) => message)
      .filter(({ targets }) => targets.some((code) => covers(code, connection.path)));
    if (!reaching.length) return;
    const pushed = await this.endpoints.pushedAlerts(
      connection.device.endpointId,
      reaching.map(({ alert }) => alert.id),
    );
    for (const { alert } of reaching) {
      if (pushed.has(alert.id) || !firstTime(connection, 'emergency', alert.id)) continue;
      if (this.send(connection, 'emergency', alert))
        await this.endpoints.recordPushes(alert.id, [connection.device.endpointId], new Date());
    }
  }

  /** The streams open here (a device may hold several), for the metrics. */
  openStreams(): number {
    let open = 0;
    for (const streams of this.byDevice.values()) open += streams.length;
    return open;
  }

  /** Calls `listener` with the device's id whenever one of its streams opens here. */
  onConnect(listener: (endpointId: string) => void): void {
    this.connectListeners.push(listener);
  }

  /** The devices with a stream open here: all of them, or those a region code reaches (their own region, township or county). */
  connectedDevices(code?: string): string[] {
    if (code === undefined) return [...this.byDevice.keys()];
    return [...new Set([...(this.underCode.get(code) ?? [])].map((connection) => connection.device.endpointId))];
  }

  /** Writes an event to every open stream of a device here: true when at least one live stream took it. */
  tell(endpointId: string, event: string, data: object): boolean {
    const frame = `id: ${Date.now()}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    let written = false;
    for (const connection of [...(this.byDevice.get(endpointId) ?? [])])
      written = this.write(connection, frame, event) || written;
    return written;
  }

  /** Ends the device's streams opened with a token other than its current one (null: revoked, so all of them). */
  closeStale(endpointId: string, currentTokenHash: string | null): void {
    for (const connection of [...(this.byDevice.get(endpointId) ?? [])]) {
      if (connection.device.tokenHash !== currentTokenHash) this.close(connection);
    }
  }

  /** Indexes a new stream; a device over its limit of streams loses its oldest. */
  private register(connection: Connection): void {
    joinIndex(this.byRegion, connection.device.regionCode, connection);
    for (const code of connection.codes) joinIndex(this.underCode, code, connection);
    const own = this.byDevice.get(connection.device.endpointId) ?? [];
    own.push(connection);
    this.byDevice.set(connection.device.endpointId, own);
    while (own.length > this.config.endpoints.eventsMaxStreams) this.close(own[0]);
  }

  private unregister(connection: Connection): void {
    leaveIndex(this.byRegion, connection.device.regionCode, connection);
    for (const code of connection.codes) leaveIndex(this.underCode, code, connection);
    const own = this.byDevice.get(connection.device.endpointId);
    const at = own?.indexOf(connection) ?? -1;
    if (at >= 0) own!.splice(at, 1);
    if (own && !own.length) this.byDevice.delete(connection.device.endpointId);
  }

  private close(connection: Connection): void {
    this.unregister(connection);
    connection.response.end();
  }

  /** Writes to a stream still open (true), or drops one that died unnoticed (false): only a live write counts. */
  private write(connection: Connection, chunk: string, event?: string): boolean {
    if (connection.response.destroyed || connection.response.writableEnded) {
      this.unregister(connection);
      return false;
    }
    connection.response.write(chunk);
    if (event) this.metrics.pushed(event);
    return true;
  }

  private send(
    connection: Connection,
    event: string,
    data: AlertEvent | LiveEvent | { date: string; version: string },
  ): boolean {
    return this.write(connection, `id: ${Date.now()}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`, event);
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
    for (const connections of [...this.byDevice.values()])
      for (const connection of [...connections]) this.close(connection);
  }
}

/** Whether this stream has not yet been told this event of this alert or live stream (and remembers that it now is). */
function firstTime(connection: Connection, event: string, id: string): boolean {
  const key = `${event}|${id}`;
  if (connection.told.has(key)) return false;
  connection.told.add(key);
  return true;
}

function joinIndex(index: Map<string, Set<Connection>>, code: string, connection: Connection): void {
  const peers = index.get(code) ?? new Set();
  peers.add(connection);
  index.set(code, peers);
}

function leaveIndex(index: Map<string, Set<Connection>>, code: string, connection: Connection): void {
  const peers = index.get(code);
  peers?.delete(connection);
  if (peers && !peers.size) index.delete(code);
}
