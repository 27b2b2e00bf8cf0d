import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { BusMessages, EventBus } from '../infra/redis/event-bus';
import { DeviceEventHub } from './device-event-hub';
import { type CommandToSend, EndpointCommandsRepository } from './endpoint-commands.repository';

/**
 * Takes commands to the devices connected to this process, from Postgres:
 * when one is issued (the event bus says so at once), when a device connects,
 * and every COMMAND_RESEND_SECONDS to every device here that has not
 * acknowledged one yet. A delivery counts as sent only once a live stream of
 * its device was written to; expired ones are never sent again.
 */
@Injectable()
export class CommandCourier implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('CommandCourier');
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<unknown>;
  private failing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly commands: EndpointCommandsRepository,
    private readonly hub: DeviceEventHub,
    private readonly bus: EventBus,
  ) {}

  onModuleInit(): void {
    this.bus.on('endpoint-command', (message) => this.onIssued(message));
    this.hub.onConnect((endpointId) => {
      this.send([endpointId], {}).catch((error: Error) =>
        this.logger.warn(`sending endpoint ${endpointId} its commands: ${error.message}`),
      );
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.role === 'worker') return;
    this.timer = setInterval(() => this.tick(), this.config.endpoints.commandResendSeconds * 1000);
    this.timer.unref();
  }

  /**
   * Tells every API process of a command just issued. Without Redis, this
   * process sends it to its own devices and the others find it in Postgres on
   * their next resend tick.
   */
  async announce(message: BusMessages['endpoint-command']): Promise<void> {
    if (!(await this.bus.tell('endpoint-command', message))) {
      this.logger.warn(
        `the event bus is down: command ${message.commandId} goes to other processes' devices on their next resend`,
      );
      this.onIssued(message);
    }
  }

  private onIssued({ commandId, regionCode, endpointId }: BusMessages['endpoint-command']): void {
    // A command to one endpoint names that endpoint's region too.
    const under = this.hub.connectedDevices(regionCode);
    const here = endpointId ? under.filter((id) => id === endpointId) : under;
    this.send(here, { commandId }).catch((error: Error) =>
      this.logger.warn(`sending command ${commandId}: ${error.message}`),
    );
  }

  /** Expires what ran out, then resends what the devices here have not acknowledged: one query each, whatever the number of devices. */
  private tick(): void {
    const now = new Date();
    this.ticking ??= this.commands
      .expire(now)
      .then(() =>
        this.send(this.hub.connectedDevices(), {
          resentBefore: new Date(now.getTime() - this.config.endpoints.commandResendSeconds * 1000),
        }),
      )
      .then(() => (this.failing = false))
      .catch((error: Error) => {
        if (!this.failing) this.logger.warn(`resending commands failed (will retry): ${error.message}`);
        this.failing = true;
      })
      .finally(() => (this.ticking = undefined));
  }

  private async send(
    endpointIds: string[],
    which: Parameters<EndpointCommandsRepository['unacknowledged']>[2],
  ): Promise<void> {
    const now = new Date();
    const due = await this.commands.unacknowledged(endpointIds, now, which);
    const written = due.filter((command) => this.hub.tell(command.endpointId, 'command', commandEvent(command)));
    await this.commands.markSent(written, now);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }
}

/** The `command` event's data (docs/device-protocol.md, "Commands"). */
function commandEvent(command: CommandToSend) {
  return {
    id: command.commandId,
    kind: command.kind,
    ...(command.volume === null ? {} : { volume: command.volume }),
    issuedAt: command.issuedAt.toISOString(),
    expiresAt: command.expiresAt.toISOString(),
  };
}
