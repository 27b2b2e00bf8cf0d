import { Controller, Get, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, CurrentDevice, DevicePrincipal } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidBody } from '../infra/http/validation';
import { DeviceEventHub } from './device-event-hub';
import { DeviceProtocolService } from './device-protocol.service';
import { Enrollment, EnrollBody, HeartbeatAck, HeartbeatBody, ReceiptsAck, ReceiptsBody } from './endpoints.dto';
import { EndpointsService } from './endpoints.service';

/**
 * The device protocol (DESIGN.md): a public contract that devices in the field
 * depend on. The playlist pull, the hottest route, is in device-playlist.route.ts.
 */
@ApiTags('device protocol')
@Controller('api/v1')
export class DeviceController {
  constructor(
    private readonly endpoints: EndpointsService,
    private readonly protocol: DeviceProtocolService,
    private readonly events: DeviceEventHub,
  ) {}

  @Post('devices/enroll')
  @HttpCode(200)
  @Access.public()
  @ApiResult(200, Enrollment, 'Enrolled: keep the token, it is shown once', {
    400: 'Invalid body',
    401: 'The code is unknown, used or expired',
  })
  enroll(@ValidBody(EnrollBody) body: Parsed<typeof EnrollBody>) {
    return this.endpoints.enroll(body);
  }

  @Post('device/heartbeat')
  @HttpCode(200)
  @Access.device()
  @ApiResult(200, HeartbeatAck, 'Recorded; the endpoint counts as online', {
    400: 'Invalid body',
    401: 'Device token invalid or revoked',
  })
  heartbeat(@CurrentDevice() device: DevicePrincipal, @ValidBody(HeartbeatBody) body: Parsed<typeof HeartbeatBody>) {
    return this.endpoints.heartbeat(device, body);
  }

  @Get('device/events')
  @Access.device()
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'the last id you saw, to hear what you missed' })
  @ApiResponse({
    status: 200,
    description:
      'Server-Sent Events: playlist-changed {date, version}; emergency (the alert) when one reaching the device goes live; emergency-cancelled {id, itemId, drill}; a heartbeat comment every DEVICE_EVENTS_HEARTBEAT_SECONDS',
  })
  @ApiResponse({ status: 401, description: 'Device token invalid or revoked' })
  async stream(
    @CurrentDevice() device: DevicePrincipal,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    reply.hijack();
    await this.events.open(device, await this.protocol.regionPath(device), reply.raw, lastEventId, () =>
      this.protocol.currentPlaylists(device),
    );
  }

  @Post('device/receipts')
  @HttpCode(200)
  @Access.device()
  @ApiResult(200, ReceiptsAck, 'Stored; ids already stored (a retried batch) count as duplicates', {
    400: 'Invalid body',
    401: 'Device token invalid or revoked',
  })
  receipts(@CurrentDevice() device: DevicePrincipal, @ValidBody(ReceiptsBody) body: Parsed<typeof ReceiptsBody>) {
    return this.protocol.receipts(device, body);
  }
}
