import { Controller, Get, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, regionIn } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidQuery } from '../infra/http/validation';
import { AssessmentService } from './assessment.service';
import { assessmentTables, assessmentTitle } from './domain/assessment-tables';
import { AssessmentQuery, AssessmentView } from './reports.dto';
import { XLSX, sendTables } from './report-files';

/** The assessment (考核) of a county, township or village, with the regions below it ranked. */
@ApiTags('reports')
@Controller('api/v1/assessments')
export class AssessmentController {
  constructor(private readonly assessments: AssessmentService) {}

  @Get()
  @Access.user('reports.read', regionIn('query', 'region'))
  @ApiProduces('application/json', 'text/csv', XLSX)
  @ApiResult(
    200,
    AssessmentView,
    'Evening broadcast days aired ÷ scheduled, loudspeakers online, orders on time, satisfaction, sessions, hours and volunteers, for the region and each region below it, ranked by score',
    {
      400: 'Invalid query or period',
      401: 'Not signed in',
      403: 'Your role may not, or outside your scope',
      404: 'No such region',
    },
  )
  async assessment(
    @ValidQuery(AssessmentQuery) query: Parsed<typeof AssessmentQuery>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const assessment = await this.assessments.assess(query.region, query.period);
    if (query.format === 'json') return assessment;
    return sendTables(reply, query.format, {
      title: assessmentTitle(assessment),
      tables: assessmentTables(assessment),
      file: `dalaba-assessment-${assessment.region.code}-${assessment.period.label}`,
    });
  }
}
