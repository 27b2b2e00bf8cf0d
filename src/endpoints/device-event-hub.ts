import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import type { ServerResponse } from 'node:http';
import type { DevicePrincipal } from '../auth/access.decorator';
import { PlaylistStore } from '../scheduling/playlist-store';

// How soon a device should reconnect after losing the stream.
const RETRY_MS = 5_000;

interface Connection {
  device: DevicePrincipal;
  response: ServerResponse;
}

/**
 * The devices connected to this process over Server-Sent Events, by region.
 * Every process hears every playlist change (through the event bus) and tells
 * its own connected devices, so a device may be connected to any process.
 */
@Injectable()
export class DeviceEventHub implements OnModuleInit, OnModuleDestroy {
  private readonly byRegion = new Map<string, Set<Connection>>();
  private heartbeat?: NodeJS.Timeout;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly playlists: PlaylistStore) {}

  onModuleInit(): void {
    this.playlists.onChange((date, changes) => {
      for (const [regionCode, version] of changes) {
        for (const connection of this.byRegion.get(regionCode) ?? []) this.send(connection, 'playlist-changed', { date, version });
      }
    });
    // Proxies and NATs drop idle connections after 30–60 s; a comment well inside that keeps them.
    this.heartbeat = setInterval(() => {
      for (const connections of this.byRegion.values()) for (const connection of connections) connection.response.write(': heartbeat\n\n');
    }, this.config.endpoints.eventsHeartbeatSeconds * 1000);
    this.heartbeat.unref();
  }

  /**
   * Starts a device's stream. Event ids are the server's clock in ms; a device
   * reconnecting with Last-Event-ID is told of every playlist compiled since.
   */
  async open(device: DevicePrincipal, response: ServerResponse, lastEventId: string | undefined, missed: () => Promise<Array<{ date: string; version: string; compiledAt: number }>>): Promise<void> {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write(`retry: ${RETRY_MS}\n\n`);
    const connection: Connection = { device, response };
    const peers = this.byRegion.get(device.regionCode) ?? new Set();
    peers.add(connection);
    this.byRegion.set(device.regionCode, peers);
    response.on('close', () => {
      peers.delete(connection);
      if (!peers.size) this.byRegion.delete(device.regionCode);
    });
    const since = Number(lastEventId);
    if (lastEventId !== undefined && Number.isFinite(since)) {
      for (const playlist of await missed()) {
        if (playlist.compiledAt > since) this.send(connection, 'playlist-changed', { date: playlist.date, version: playlist.version });
      }
    }
  }

  private send(connection: Connection, event: string, data: unknown): void {
    connection.response.write(`id: ${Date.now()}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
    for (const connections of this.byRegion.values()) for (const connection of connections) connection.response.end();
    this.byRegion.clear();
  }
}
