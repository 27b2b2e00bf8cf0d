import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Access, CurrentDevice, DevicePrincipal } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidBody, ValidParam } from '../infra/http/validation';
import { CommandReportAck, CommandReportBody } from './endpoint-commands.dto';
import { EndpointCommandsService } from './endpoint-commands.service';

/** The device protocol's command reports (docs/device-protocol.md, "Commands"): a device answers for itself only. */
@ApiTags('device protocol')
@Controller('api/v1/device/commands')
export class DeviceCommandsController {
  constructor(private readonly commands: EndpointCommandsService) {}

  @Post(':id')
  @HttpCode(200)
  @Access.device()
  @ApiResult(200, CommandReportAck, 'Recorded (a repeated acknowledgement changes nothing)', {
    400: 'Invalid body',
    401: 'Device token invalid or revoked',
    404: 'No such command was sent to this device',
    409: 'The delivery is done, failed or expired: it takes no more reports',
  })
  report(
    @CurrentDevice() device: DevicePrincipal,
    @ValidParam('id', z.uuid()) id: string,
    @ValidBody(CommandReportBody) body: Parsed<typeof CommandReportBody>,
  ) {
    return this.commands.report(device, id, body);
  }
}
