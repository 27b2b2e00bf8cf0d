import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, regionIn, UserPrincipal } from '../auth/access.decorator';
import { ApiResult, ValidParam } from '../infra/http/validation';
import { RegionCode } from '../kernel/region-code';
import { PostersService } from './posters.service';
import { PosterView, PosterWithPlace } from './villagers.dto';

const Code = () => ValidParam('code', RegionCode);
const ERRORS = {
  400: 'Not a village',
  401: 'Not signed in',
  403: 'Outside your scope',
  404: 'No such region',
};

/** Each village's poster (its QR code opens the villagers' page), opened, replaced and closed by its operators. */
@ApiTags('villagers')
@Controller('api/v1/regions')
export class PostersController {
  constructor(private readonly posters: PostersService) {}

  @Get(':code/poster')
  @Access.user('posters.manage', regionIn('param', 'code'))
  @ApiResult(200, PosterWithPlace, 'The village’s poster: its code while open, and the names it prints', ERRORS)
  get(@Code() code: string) {
    return this.posters.get(code);
  }

  @Post(':code/poster')
  @HttpCode(200)
  @Access.user('posters.manage', regionIn('param', 'code'))
  @ApiResult(200, PosterView, 'Opened with a new random code; the previous code, if any, stops working', ERRORS)
  open(@CurrentUser() actor: UserPrincipal, @Code() code: string) {
    return this.posters.open(actor, code);
  }

  @Delete(':code/poster')
  @Access.user('posters.manage', regionIn('param', 'code'))
  @ApiResult(200, PosterView, 'Closed: its code answers like one that never existed', {
    ...ERRORS,
    404: 'No such region, or no open poster',
  })
  close(@Code() code: string) {
    return this.posters.close(code);
  }
}
