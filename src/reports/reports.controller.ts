import { Controller, Get, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, regionIn } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidQuery } from '../infra/http/validation';
import { reportTables, reportTitle } from './domain/report-tables';
import { sendTables, XLSX } from './report-files';
import { ReportsService } from './reports.service';
import { ReportQuery } from './reports.dto';

/** Reports for the county's monthly check, quarterly inspection and yearly assessment. */
@ApiTags('reports')
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get()
  @Access.user('reports.read', regionIn('query', 'region'))
  @ApiProduces('application/json', 'text/csv', XLSX)
  @ApiResult(
    200,
    null,
    'Sessions by mode, theme and topic; hours; audience; on-air coverage; the four-order figures; the sessions themselves',
    {
      400: 'Invalid query or period',
      401: 'Not signed in',
      403: 'Your role may not, or outside your scope',
      404: 'No such region',
    },
  )
  async report(
    @ValidQuery(ReportQuery) query: Parsed<typeof ReportQuery>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const report = await this.reports.report(query.region, query.period);
    if (query.format === 'json') return report;
    return sendTables(reply, query.format, {
      title: reportTitle(report),
      tables: reportTables(report),
      file: `dalaba-report-${report.region.code}-${report.period.label}`,
    });
  }
}
