import { Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, UserPrincipal } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidBody, ValidParam, ValidQuery } from '../infra/http/validation';
import {
  CreateTopicBody,
  Month,
  ThemeBody,
  ThemeList,
  ThemesQuery,
  ThemeView,
  TopicList,
  TopicsQuery,
  TopicView,
} from './lectures.dto';
import { TopicsService } from './topics.service';

/** The county's topic menu and its one theme a month (一月一主题). */
@ApiTags('lectures')
@Controller('api/v1')
export class TopicsController {
  constructor(private readonly topics: TopicsService) {}

  @Get('topics')
  @Access.user('topics.read')
  @ApiResult(200, TopicList, "The county's topic menu (your scope's county unless named)", {
    400: 'Invalid query',
    401: 'Not signed in',
    403: 'A county you do not work in',
  })
  list(@CurrentUser() actor: UserPrincipal, @ValidQuery(TopicsQuery) query: Parsed<typeof TopicsQuery>) {
    return this.topics.list(actor, query);
  }

  @Post('topics')
  @HttpCode(201)
  @Access.user('topics.manage')
  @ApiResult(201, TopicView, 'On the menu', {
    400: 'Invalid body, or not a county',
    401: 'Not signed in',
    403: 'Only the county sets its menu',
    409: 'A topic of that title is on the menu',
  })
  create(@CurrentUser() actor: UserPrincipal, @ValidBody(CreateTopicBody) body: Parsed<typeof CreateTopicBody>) {
    return this.topics.create(actor, body);
  }

  @Get('themes')
  @Access.user('topics.read')
  @ApiResult(200, ThemeList, "The county's monthly themes, by month", {
    400: 'Invalid query',
    401: 'Not signed in',
    403: 'A county you do not work in',
  })
  themes(@CurrentUser() actor: UserPrincipal, @ValidQuery(ThemesQuery) query: Parsed<typeof ThemesQuery>) {
    return this.topics.themes(actor, query);
  }

  @Put('themes/:month')
  @Access.user('topics.manage')
  @ApiResult(200, ThemeView, "Set (or replaced): the month's one theme", {
    400: 'Invalid body or month',
    401: 'Not signed in',
    403: 'Only the county sets its themes',
    404: 'No such topic',
  })
  setTheme(
    @CurrentUser() actor: UserPrincipal,
    @ValidParam('month', Month) month: string,
    @ValidBody(ThemeBody) body: Parsed<typeof ThemeBody>,
  ) {
    return this.topics.setTheme(actor, month, body);
  }
}
