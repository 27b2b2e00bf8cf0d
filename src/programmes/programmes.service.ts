import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { UserPrincipal } from '../auth/access.decorator';
import { AccessRegistry } from '../auth/access.registry';
import type { Parsed } from '../infra/http/validation';
import { CreateProgrammeBody, ListProgrammesQuery, toProgrammeView } from './programmes.dto';
import { ProgrammesRepository } from './programmes.repository';

@Injectable()
export class ProgrammesService {
  constructor(
    private readonly programmes: ProgrammesRepository,
    private readonly access: AccessRegistry,
  ) {}

  /** Only ready media the author may see; a programme's length is fixed from the start. */
  async create(actor: UserPrincipal, body: Parsed<typeof CreateProgrammeBody>) {
    const found = new Map(
      (await this.programmes.mediaByIds([...new Set(body.segments)])).map((media) => [media.id, media]),
    );
    const missing = body.segments.filter((id) => !found.has(id));
    if (missing.length) throw new NotFoundException(`media not found: ${[...new Set(missing)].join(', ')}`);
    for (const media of found.values()) {
      if (!(await this.access.reaches(actor.scopeCode, media.regionCode))) {
        throw new ForbiddenException(`media ${media.id} is outside your scope (${actor.scopeCode})`);
      }
    }
    const notReady = [...found.values()].filter((media) => media.status !== 'ready');
    if (notReady.length) {
      throw new ConflictException(
        `media not ready to air: ${notReady.map((media) => `${media.id} (${media.status})`).join(', ')}`,
      );
    }
    const programme = await this.programmes.create({
      title: body.title,
      category: body.category,
      regionCode: actor.scopeCode,
      durationMs: body.segments.reduce((sum, id) => sum + (found.get(id)!.durationMs ?? 0), 0),
      createdById: actor.id,
      mediaIds: body.segments,
    });
    return toProgrammeView(programme);
  }

  /** Takes back a programme made for a broadcast that was then refused; one that was scheduled stays. */
  async discardUnscheduled(id: string): Promise<void> {
    await this.programmes.removeUnscheduled(id);
  }

  async get(id: string) {
    const programme = await this.programmes.find(id);
    if (!programme) throw new NotFoundException(`programme ${id} not found`);
    return toProgrammeView(programme);
  }

  async list(actor: UserPrincipal, query: Parsed<typeof ListProgrammesQuery>) {
    const rows = await this.programmes.list(actor.scopeCode, query);
    const page = rows.slice(0, query.limit);
    return {
      items: page.map(toProgrammeView),
      nextCursor: rows.length > query.limit ? page[page.length - 1].id : null,
    };
  }
}
