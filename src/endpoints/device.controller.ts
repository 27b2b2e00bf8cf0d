import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentDevice, DevicePrincipal } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidBody } from '../infra/http/validation';
import { Enrollment, EnrollBody, HeartbeatAck, HeartbeatBody } from './endpoints.dto';
import { EndpointsService } from './endpoints.service';

/** The device protocol (DESIGN.md): a public contract that devices in the field depend on. */
@ApiTags('device protocol')
@Controller('api/v1')
export class DeviceController {
  constructor(private readonly endpoints: EndpointsService) {}

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
  @ApiResult(200, HeartbeatAck, 'Recorded; the endpoint counts as online', { 400: 'Invalid body', 401: 'Device token invalid or revoked' })
  heartbeat(@CurrentDevice() device: DevicePrincipal, @ValidBody(HeartbeatBody) body: Parsed<typeof HeartbeatBody>) {
    return this.endpoints.heartbeat(device, body);
  }
}
