import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { RedisConnections } from './redis-connections';
import type { AlertEvent, LiveEvent } from 'dalaba-agent/protocol';

/**
 * Messages between processes, declared once. Pub/sub is fire-and-forget: a
 * process that misses one (Redis away) must recover from Postgres, so no
 * message may be the only record of anything.
 */
export interface BusMessages {
  /** Compiled playlists whose version changed: [regionCode, version] pairs for one date. */
  'playlist-changed': { date: string; changes: Array<[string, string]> };
  /**
   * A device's token was revoked or replaced (a new enrollment): processes
   * drop older tokens from their caches and close the streams they opened.
   * Postgres holds it too, and every API process looks there every few seconds.
   */
  'device-revoked': { endpointId: string };
  /**
   * An alert went live (push it to the targets' connected devices) or ended
   * (cancelled: tell them). recheck: this may repeat an earlier push, which
   * Postgres records; look there before pushing.
   */
  emergency: {
    action: 'activate' | 'end';
    cancelled: boolean;
    targets: string[];
    alert: AlertEvent;
    recheck?: boolean;
  };
  /**
   * A live voice session's audio reached Icecast (push `live-started` to the
   * targets' connected devices) or it ended (push `live-ended`). Postgres holds
   * both, and every API process checks it every few seconds.
   */
  live: { action: 'start' | 'end'; targets: string[]; live: LiveEvent; reason?: string };
  /** Someone ended a live session: the process carrying its audio stops it. */
  'live-stop': { id: string };
  /** A notification was stored (Postgres holds it): consoles listening for their region's list refresh it. */
  notification: { id: string; kind: string; regionCode: string };
  /**
   * An operator issued a command (Postgres holds it and each device's delivery):
   * processes send it to the targets' connected devices. Every API process also
   * resends what is unacknowledged from Postgres every COMMAND_RESEND_SECONDS.
   */
  'endpoint-command': { commandId: string; regionCode: string; endpointId: string | null };
}

// What a device is told over its event stream (the `live-started` and `emergency` events' data) is the
// device protocol's public contract, declared once, where the devices' own code reads it.
export type { AlertEvent, LiveEvent };

export type BusChannel = keyof BusMessages;
type Handler<C extends BusChannel> = (message: BusMessages[C]) => void;

@Injectable()
export class EventBus implements OnModuleDestroy {
  private readonly logger = new Logger('EventBus');
  private subscriber?: Redis;
  private readonly handlers = new Map<string, Array<Handler<BusChannel>>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisConnections,
  ) {}

  private channel(name: BusChannel): string {
    return `${this.config.queuePrefix}:bus:${name}`;
  }

  async publish<C extends BusChannel>(name: C, message: BusMessages[C]): Promise<void> {
    await this.redis.shared.publish(this.channel(name), JSON.stringify(message));
  }

  /**
   * Publishes without ever waiting for Redis (false when it is away), for
   * news the receivers also find in Postgres by themselves: a request that
   * announces one never hangs on an outage.
   */
  async tell<C extends BusChannel>(name: C, message: BusMessages[C]): Promise<boolean> {
    try {
      await this.redis.probe.publish(this.channel(name), JSON.stringify(message));
      return true;
    } catch {
      return false;
    }
  }

  on<C extends BusChannel>(name: C, handler: Handler<C>): void {
    const channel = this.channel(name);
    if (!this.subscriber) {
      this.subscriber = this.redis.connect();
      this.subscriber.on('message', (from: string, text: string) => this.deliver(from, text));
    }
    if (!this.handlers.has(channel)) {
      this.handlers.set(channel, []);
      this.subscriber
        .subscribe(channel)
        .catch((error: Error) => this.logger.warn(`subscribing to ${name}: ${error.message}`));
    }
    this.handlers.get(channel)!.push(handler as Handler<BusChannel>);
  }

  private deliver(channel: string, text: string): void {
    let message: BusMessages[BusChannel];
    try {
      message = JSON.parse(text) as BusMessages[BusChannel];
    } catch {
      return;
    }
    for (const handler of this.handlers.get(channel) ?? []) {
      try {
        handler(message);
      } catch (error) {
        this.logger.error(`handling ${channel}: ${(error as Error).message}`);
      }
    }
  }

  onModuleDestroy(): void {
    this.subscriber?.disconnect();
  }
}
