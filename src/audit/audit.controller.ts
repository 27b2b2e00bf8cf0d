import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Access, entityIn } from '../auth/access.decorator';
import { named } from '../infra/http/openapi-schemas';
import { ApiResult, Parsed, ValidQuery } from '../infra/http/validation';
import { AuditService } from './audit.service';

const AuditQuery = z
  .object({ entity: z.enum(['emergency']).describe('what kind of thing'), id: z.uuid().describe('its id') })
  .strict();

export const AuditTrail = named(
  'AuditTrail',
  z.object({
    entries: z.array(
      z.object({
        id: z.uuid(),
        entity: z.string(),
        entityId: z.uuid(),
        action: z.string(),
        at: z.string(),
        actor: z
          .object({ id: z.uuid(), username: z.string(), role: z.string() })
          .nullable()
          .describe('null: the service acted on its own'),
        details: z.record(z.string(), z.unknown()),
      }),
    ),
  }),
);

@ApiTags('audit')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Access.user('audit.read', entityIn('query', 'id', 'emergency'))
  @ApiResult(200, AuditTrail, 'Every action on the thing, oldest first: who, when, what', {
    400: 'Invalid query',
    401: 'Not signed in',
    403: 'Outside your scope',
    404: 'No such thing',
  })
  async trail(@ValidQuery(AuditQuery) query: Parsed<typeof AuditQuery>) {
    return { entries: await this.audit.list(query.entity, query.id) };
  }
}
