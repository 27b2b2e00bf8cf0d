import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, regionIn } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidParam, ValidQuery } from '../infra/http/validation';
import { RegionCode } from '../kernel/region-code';
import { EbdMessageList, EbdPackageList, ListMessagesQuery, ListPackagesQuery } from './ebd.dto';
import { EbdLogService } from './ebd-log.service';

const ERRORS = { 400: 'Invalid query', 401: 'Not signed in', 403: 'Outside your scope', 404: 'No such region' };

/** 收发记录: the packages and broadcast messages a county exchanged with its upper platform. */
@ApiTags('ebd')
@Controller('api/v1/ebd/links/:countyCode')
export class EbdLogController {
  constructor(private readonly log: EbdLogService) {}

  @Get('packages')
  @Access.user('ebd.read', regionIn('param', 'countyCode'))
  @ApiResult(200, EbdPackageList, 'Packages received and sent, newest first (never their bytes)', ERRORS)
  packages(
    @ValidParam('countyCode', RegionCode) countyCode: string,
    @ValidQuery(ListPackagesQuery) query: Parsed<typeof ListPackagesQuery>,
  ) {
    return this.log.packages(countyCode, query);
  }

  @Get('messages')
  @Access.user('ebd.read', regionIn('param', 'countyCode'))
  @ApiResult(200, EbdMessageList, 'Emergency broadcast messages (EBMs) exchanged, newest first', ERRORS)
  messages(
    @ValidParam('countyCode', RegionCode) countyCode: string,
    @ValidQuery(ListMessagesQuery) query: Parsed<typeof ListMessagesQuery>,
  ) {
    return this.log.messages(countyCode, query);
  }
}
