import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, regionIn, UserPrincipal } from '../auth/access.decorator';
import { ApiResult, ValidParam } from '../infra/http/validation';
import { RegionCode } from '../kernel/region-code';
import { ImportResult, RegionDetail, RegionList } from './regions.dto';
import { RegionsService } from './regions.service';

@ApiTags('regions')
@Controller('api/v1/regions')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @Post('import')
  @HttpCode(200)
  @Access.user('regions.import')
  @ApiConsumes('text/csv')
  @ApiBody({
    description:
      'UTF-8 CSV with the header code,name,level,parent_code; level is county|township|village; a county has an empty parent_code',
    schema: {
      type: 'string',
      example:
        'code,name,level,parent_code\n520628000000,松桃苗族自治县,county,\n520628100000,蓼皋街道,township,520628000000',
    },
  })
  @ApiResult(200, ImportResult, 'The whole file was imported (re-importing the same file changes nothing)', {
    400: 'At least one bad line; nothing was written. details lists every bad line',
    401: 'Not signed in',
    403: 'Not an admin',
    413: 'The file is larger than REGION_IMPORT_MAX_BYTES',
    415: 'The body is not text/csv',
  })
  import(@CurrentUser() actor: UserPrincipal, @Body() csv: unknown): Promise<ImportResult> {
    return this.regions.import(actor, csv);
  }

  @Get()
  @Access.user('regions.read')
  @ApiResult(200, RegionList, 'The regions at the top of your scope (every county for an unscoped admin)', {
    401: 'Not signed in',
  })
  roots(@CurrentUser() actor: UserPrincipal) {
    return this.regions.roots(actor);
  }

  @Get(':code')
  @Access.user('regions.read', regionIn('param', 'code'))
  @ApiResult(200, RegionDetail, 'The region, its ancestors, its children and counts of what lies below', {
    400: 'Not a 12-digit code',
    401: 'Not signed in',
    403: 'Outside your scope',
    404: 'No such region',
  })
  detail(@ValidParam('code', RegionCode) code: string): Promise<RegionDetail> {
    return this.regions.detail(code);
  }
}
