import { randomBytes } from 'node:crypto';
import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { UserPrincipal } from '../auth/access.decorator';
import { can } from '../auth/domain/permissions';
import { Icecast } from '../infra/icecast/icecast';
import type { Parsed } from '../infra/http/validation';
import { RegionTargets } from '../regions/region-targets';
import { withinScope } from '../regions/regions.repository';
import { liveItemId } from './domain/live';
import { LiveCarrier } from './live-carrier';
import { ingestTokenHash } from './live-ingest';
import { ListLiveQuery, LiveSessionView, StartLiveBody, toLiveView } from './live.dto';
import { LiveRepository, type LiveRow } from './live.repository';

@Injectable()
export class LiveService {
  constructor(
    private readonly sessions: LiveRepository,
    private readonly targets: RegionTargets,
    private readonly icecast: Icecast,
    private readonly carrier: LiveCarrier,
  ) {}

  /**
   * Takes the regions for a new session and hands back the one secret that
   * lets its speaker send the audio. Devices hear nothing until the audio
   * reaches Icecast; a speaker who never sends any frees the regions after the grace period.
   */
  async start(actor: UserPrincipal, body: Parsed<typeof StartLiveBody>) {
    const regionCodes = [...new Set(body.regionCodes)];
    const placed = await this.targets.place(actor, regionCodes, 'a live session speaks to one county’s loudspeakers');
    const token = randomBytes(24).toString('base64url');
    const row = await this.sessions.create(
      {
        title: body.title,
        countyCode: placed.countyCode,
        scopeCode: placed.scopeCode,
        regionCodes,
        priority: body.priority,
        // Refuses (503) before anything is taken when Icecast is not configured.
        mount: this.icecast.newMount('live'),
        ingestTokenHash: ingestTokenHash(token),
        startedById: actor.id,
      },
      placed.paths,
    );
    return { session: await this.view(row), ingestUrl: `/api/v1/live-sessions/${row.id}/audio?token=${token}` };
  }

  /** Its speaker ends it, or an approver ends anyone's in scope; ending one that ended changes nothing. */
  async end(actor: UserPrincipal, id: string): Promise<LiveSessionView> {
    const row = await this.require(id);
    if (row.status === 'ended') return this.view(row);
    const own = row.startedById === actor.id;
    if (!own && !can(actor.role, 'live.end-any'))
      throw new ForbiddenException('Only its speaker or an approver may end this live session');
    const ended = await this.carrier.end(id, own ? 'operator' : 'approver', actor.id);
    return this.view(ended ?? (await this.require(id)));
  }

  async get(id: string): Promise<LiveSessionView> {
    return this.view(await this.require(id));
  }

  async list(actor: UserPrincipal, query: Parsed<typeof ListLiveQuery>) {
    const rows = await this.sessions.list(
      { scope: withinScope(actor.scopeCode), ...(query.status ? { status: query.status } : {}) },
      query.limit,
    );
    return { items: await Promise.all(rows.map((row) => this.view(row))) };
  }

  private async view(row: LiveRow): Promise<LiveSessionView> {
    return toLiveView(row, await this.sessions.receiptCounts(liveItemId(row.id)));
  }

  private async require(id: string): Promise<LiveRow> {
    const row = await this.sessions.find(id);
    if (!row) throw new NotFoundException(`live session ${id} not found`);
    return row;
  }
}
