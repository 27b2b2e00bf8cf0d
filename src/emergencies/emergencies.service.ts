import {
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import type { UserPrincipal } from '../auth/access.decorator';
import { AccessRegistry } from '../auth/access.registry';
import { badRequest } from '../infra/http/error-body';
import type { Parsed } from '../infra/http/validation';
import { MediaService } from '../media/media.service';
import { MediaRepository } from '../media/media.repository';
import { UsersRepository } from '../users/users.repository';
import { exportCap } from './domain/cap/export';
import { CapImport, divisionCode, importCap } from './domain/cap/map';
import { parseCap } from './domain/cap/parse';
import { CapRejected } from './domain/cap/rejected';
import { type AlertLevel, refusalToApprove, refusalToCancel } from './domain/alert';
import { awaitingApproval } from './approval-notice';
import { toView } from './emergency-view';
import { DraftEmergencyBody, EmergencyView, ListEmergenciesQuery } from './emergencies.dto';
import { AlertRow, EmergenciesRepository } from './emergencies.repository';
import { EmergencyDispatcher } from './emergency-dispatcher';
import { RegionTargets } from '../regions/region-targets';
import { RegionsRepository, withinScope } from '../regions/regions.repository';
import { isUniqueViolation } from '../infra/database/unique-violation';
import { Notices } from '../notifications/notices';

// A CAP alert that names no expiry is kept this long.
const CAP_DEFAULT_HOURS = 6;
const NOT_REACHED_LISTED = 500;

type DraftInput = Parsed<typeof DraftEmergencyBody>;

/** Where a draft comes from, when not straight from its drafter. */
export interface DraftOrigin {
  /** An imported CAP alert. */
  cap?: { sender: string; identifier: string; supersedesId?: string };
  /** For the audit entry `drafted` (an upstream message's id). */
  details?: Record<string, unknown>;
  /** Approved already above Dalaba (an upper platform's EBM): approved at once by no one here, with these details. */
  approval?: Record<string, unknown>;
}

@Injectable()
export class EmergenciesService {
  constructor(
    private readonly alerts: EmergenciesRepository,
    private readonly regions: RegionsRepository,
    private readonly media: MediaRepository,
    private readonly speech: MediaService,
    private readonly access: AccessRegistry,
    private readonly dispatcher: EmergencyDispatcher,
    private readonly users: UsersRepository,
    private readonly targets: RegionTargets,
    private readonly notices: Notices,
  ) {}

  async draft(
    actor: UserPrincipal,
    body: DraftInput,
    { cap, details, approval }: DraftOrigin = {},
  ): Promise<EmergencyView> {
    const regionCodes = [...new Set(body.regionCodes)];
    const { countyCode, scopeCode } = await this.targets.place(
      actor,
      regionCodes,
      'a county centre issues its own alerts',
    );
    if (cap) await this.refuseImportedTwice(countyCode, cap);
    const startsAt = body.startsAt ? new Date(body.startsAt) : new Date();
    const expiresAt = new Date(body.expiresAt);
    if (expiresAt <= startsAt)
      throw badRequest(`expiresAt (${body.expiresAt}) must be after the start (${startsAt.toISOString()})`, [
        { path: 'body.expiresAt', message: 'must be after startsAt' },
      ]);
    if (expiresAt <= new Date())
      throw badRequest(`expiresAt (${body.expiresAt}) has passed`, [
        { path: 'body.expiresAt', message: 'must be in the future' },
      ]);
    const mediaId =
      body.mediaId ?? (await this.speech.speakAlert(actor, { text: body.text!, title: body.title.slice(0, 200) })).id;
    if (body.mediaId) {
      const media = await this.media.find(body.mediaId);
      if (!media) throw new NotFoundException(`media ${body.mediaId} not found`);
      if (!(await this.access.reaches(actor.scopeCode, media.regionCode)))
        throw new ForbiddenException(`media ${media.id} is outside your scope (${actor.scopeCode})`);
      if (media.status === 'failed') throw new ConflictException(`media ${media.id} failed processing: ${media.error}`);
    }
    const row = await this.alerts
      .create(
        {
          title: body.title,
          level: body.level,
          category: body.category,
          drill: body.drill,
          countyCode,
          scopeCode,
          regionCodes,
          mediaId,
          text: body.text ?? null,
          repeat: body.repeat,
          startsAt,
          expiresAt,
          draftedById: actor.id,
          supersedesId: cap?.supersedesId ?? null,
          capSender: cap?.sender ?? null,
          capIdentifier: cap?.identifier ?? null,
        },
        {
          action: 'drafted',
          actorId: actor.id,
          details: {
            title: body.title,
            level: body.level,
            drill: body.drill,
            regionCodes,
            ...(cap ? { cap: cap.identifier } : {}),
            ...details,
          },
        },
      )
      .catch(async (error: unknown) => {
        // Two imports of one upstream alert into a county at once: the second is refused like a later one.
        if (cap && isUniqueViolation(error)) await this.refuseImportedTwice(countyCode, cap);
        throw error;
      });
    // An upload still queued behind routine media moves to the alert queue.
    if (row.media.status === 'processing') await this.speech.expedite(row.mediaId);
    if (!approval) await this.notices.raise(awaitingApproval(row, actor.username));
    return approval ? this.markApproved(row, null, approval) : toView(row);
  }

  async approve(actor: UserPrincipal, id: string): Promise<EmergencyView> {
    const alert = await this.require(id);
    const now = new Date();
    const approver = await this.users.findById(actor.id);
    const [passwordKnownBy, drafterPasswordKnownBy] = await Promise.all([
      this.users.passwordSetters(actor.id),
      this.users.passwordSetters(alert.draftedById),
    ]);
    const refusal = refusalToApprove(alert, { ...approver!, passwordKnownBy }, now, drafterPasswordKnownBy);
    if (refusal) throw new ConflictException(refusal);
    await this.refuseSupersedingOutOfScope(actor, alert);
    if (alert.media.status !== 'ready') {
      throw new ConflictException(
        alert.media.status === 'failed'
          ? `the alert's audio failed: ${alert.media.error}`
          : "the alert's audio is still being prepared; approve it once it is ready",
      );
    }
    return this.markApproved(alert, actor.id);
  }

  /** A draft approved (by an approver here, or null: above Dalaba), live from its start (once its audio is ready). */
  private async markApproved(alert: AlertRow, approvedById: string | null, details: Record<string, unknown> = {}) {
    const now = new Date();
    // An alert approved after the start it was drafted with goes out now.
    const startsAt = alert.startsAt < now ? now : alert.startsAt;
    const approved = await this.alerts.transition(
      alert.id,
      ['draft'],
      { status: 'approved', approvedById, approvedAt: now, startsAt },
      { action: 'approved', actorId: approvedById, details: { ...details, startsAt: startsAt.toISOString() } },
      [
        { action: 'activate', dueAt: startsAt },
        { action: 'end', dueAt: alert.expiresAt },
      ],
    );
    if (!approved) throw new ConflictException('the alert changed meanwhile; look at it again');
    this.dispatcher.kick();
    return this.get(alert.id);
  }

  /** `details` (a reason, an upstream message's id) go into the audit entry. */
  async cancel(actor: UserPrincipal, id: string, details: { reason?: string } & Record<string, unknown> = {}) {
    const alert = await this.require(id);
    const refusal = refusalToCancel(alert);
    if (refusal) throw new ConflictException(refusal);
    const live = alert.status !== 'draft';
    const cancelled = await this.alerts.transition(
      id,
      [alert.status],
      { status: 'cancelled', endedAt: new Date() },
      { action: 'cancelled', actorId: actor.id, details: { from: alert.status, ...details } },
      live ? [{ action: 'end', dueAt: new Date() }] : [],
    );
    if (!cancelled) throw new ConflictException('the alert changed meanwhile; look at it again');
    if (live) this.dispatcher.kick();
    return this.get(id);
  }

  async get(id: string): Promise<EmergencyView> {
    return toView(await this.require(id));
  }

  async list(actor: UserPrincipal, query: Parsed<typeof ListEmergenciesQuery>) {
    const rows = await this.alerts.list(
      { scope: withinScope(actor.scopeCode), ...(query.status ? { status: query.status } : {}) },
      query.limit,
    );
    return { items: rows.map(toView) };
  }

  async delivery(id: string) {
    const alert = await this.require(id);
    const rows = await this.alerts.deliveries(alert);
    const empty = () => ({ endpoints: 0, pushed: 0, acknowledged: 0, played: 0, failed: 0, notReached: 0 });
    const totals = empty();
    const regions = new Map<string, ReturnType<typeof empty> & { code: string; name: string }>();
    const notReached = [];
    for (const row of rows) {
      const region = regions.get(row.region_code) ?? { code: row.region_code, name: row.region_name, ...empty() };
      regions.set(row.region_code, region);
      const reached = row.pushed || row.acknowledged;
      for (const tally of [totals, region]) {
        tally.endpoints++;
        if (row.pushed) tally.pushed++;
        if (row.acknowledged) tally.acknowledged++;
        if (row.played) tally.played++;
        if (row.failed) tally.failed++;
        if (!reached) tally.notReached++;
      }
      if (!reached && notReached.length < NOT_REACHED_LISTED) {
        notReached.push({
          endpointId: row.endpoint_id,
          name: row.name,
          regionCode: row.region_code,
          lastSeenAt: row.last_seen_at?.toISOString() ?? null,
        });
      }
    }
    return { emergencyId: id, status: alert.status, totals, regions: [...regions.values()], notReached };
  }

  /** A CAP 1.2 alert in: a new draft, an update (a draft that replaces its reference once approved), or a cancel. */
  async importCap(actor: UserPrincipal, xml: Buffer) {
    let imported: CapImport;
    let sender: string;
    let identifier: string;
    try {
      const alert = parseCap(xml);
      ({ sender, identifier } = alert);
      const known = new Set<string>();
      const candidates = alert.infos.flatMap((info) =>
        info.areas.flatMap((area) => area.geocodes.map((geocode) => geocode.value)),
      );
      for (const region of (await this.regions.levels(candidates.map(divisionCode))).keys()) known.add(region);
      imported = importCap(alert, (code) => (known.has(code) ? code : null));
    } catch (error) {
      if (error instanceof CapRejected)
        throw new UnprocessableEntityException(`Not an acceptable CAP 1.2 alert: ${error.message}`);
      throw error;
    }
    // References resolve among the importer's own alerts only: another county's import of the same upstream alert is another alert.
    const scope = withinScope(actor.scopeCode);
    const referenced = await Promise.all(
      imported.references.map(async (reference) => ({
        reference,
        alert: await this.alerts.findByCap(reference.sender, reference.identifier, scope),
      })),
    );
    const unknown = referenced
      .filter((found) => !found.alert)
      .map(({ reference }) => `${reference.sender},${reference.identifier}`);
    if (imported.action !== 'draft' && unknown.length === referenced.length) {
      throw new UnprocessableEntityException(
        `The alert ${imported.action === 'cancel' ? 'cancels' : 'updates'} alerts Dalaba does not know in your scope (${actor.scopeCode ?? 'everywhere'}): ${unknown.join('; ')}`,
      );
    }
    const target = referenced.find((found) => found.alert)?.alert;
    if (imported.action === 'cancel')
      return {
        action: 'cancel' as const,
        emergency: await this.cancel(actor, target!.id, { reason: `CAP Cancel ${identifier!}` }),
      };
    if (imported.unknownAreas.length) {
      throw new UnprocessableEntityException(
        `The alert's areas include some that are no region here: ${imported.unknownAreas.join('; ')}`,
      );
    }
    // An upstream alert may name areas of several counties: each county imports the part in its own scope.
    const inScope = await Promise.all(imported.regionCodes.map((code) => this.access.reaches(actor.scopeCode, code)));
    const regionCodes = imported.regionCodes.filter((_, index) => inScope[index]);
    if (!regionCodes.length)
      throw new ForbiddenException(
        `None of the alert's areas (${imported.regionCodes.join(', ')}) lies in your scope (${actor.scopeCode})`,
      );
    const startsAt = imported.startsAt && imported.startsAt > new Date() ? imported.startsAt : new Date();
    const expiresAt = imported.expiresAt ?? new Date(startsAt.getTime() + CAP_DEFAULT_HOURS * 3600_000);
    if (expiresAt <= startsAt)
      throw new UnprocessableEntityException(`The alert expires (${expiresAt.toISOString()}) before it would start`);
    // Only an Update replaces what it names: an Alert's references are merely related alerts.
    const supersedesId = imported.action === 'update' ? target?.id : undefined;
    const draft = await this.draft(
      actor,
      {
        title: imported.title.slice(0, 200),
        level: imported.level,
        category: imported.category,
        regionCodes,
        text: imported.text,
        repeat: 3,
        startsAt: startsAt.toISOString(),
        expiresAt: expiresAt.toISOString(),
        drill: imported.drill,
      },
      { cap: { sender: sender!, identifier: identifier!, supersedesId } },
    );
    return { action: imported.action, emergency: draft };
  }

  async exportCap(id: string): Promise<string> {
    const alert = await this.require(id);
    const names = new Map((await this.regions.findMany(alert.regionCodes)).map((region) => [region.code, region.name]));
    const superseded = alert.supersedesId ? await this.alerts.find(alert.supersedesId) : null;
    return exportCap({
      identifier: `dalaba-${alert.id}`,
      sender: `dalaba@${alert.countyCode}`,
      sent: alert.approvedAt ?? alert.createdAt,
      drill: alert.drill,
      msgType: alert.status === 'cancelled' ? 'Cancel' : superseded ? 'Update' : 'Alert',
      references: superseded
        ? [
            {
              sender: `dalaba@${superseded.countyCode}`,
              identifier: `dalaba-${superseded.id}`,
              sent: (superseded.approvedAt ?? superseded.createdAt).toISOString(),
            },
          ]
        : [],
      title: alert.title,
      level: alert.level as AlertLevel,
      category: alert.category as never,
      text: alert.text ?? alert.title,
      startsAt: alert.startsAt,
      expiresAt: alert.expiresAt,
      areas: alert.regionCodes.map((code) => ({ code, name: names.get(code) ?? code })),
      ...(alert.media.sha256
        ? {
            audioUrl: `/media/${alert.media.sha256}.mp3`,
            audioBytes: alert.media.bytes ?? undefined,
            audioSha256: alert.media.sha256,
          }
        : {}),
    });
  }

  private async refuseImportedTwice(countyCode: string, cap: { sender: string; identifier: string }): Promise<void> {
    const existing = await this.alerts.importedInto(countyCode, cap.sender, cap.identifier);
    if (existing)
      throw new ConflictException(
        `CAP alert ${cap.sender},${cap.identifier} has been imported into county ${countyCode} already, as emergency ${existing.id}`,
      );
  }

  /** Approving an update ends the alert it replaces, so the approver must be one who could cancel that one too. */
  private async refuseSupersedingOutOfScope(actor: UserPrincipal, alert: AlertRow): Promise<void> {
    if (!alert.supersedesId) return;
    const replaced = await this.alerts.find(alert.supersedesId);
    if (replaced && !(await this.access.reaches(actor.scopeCode, replaced.scopeCode))) {
      throw new ForbiddenException(
        `this update replaces alert ${replaced.id}, which is outside your scope (${actor.scopeCode})`,
      );
    }
  }

  /** Targets must exist, lie in the actor's scope and in one county; the alert belongs to the smallest region holding them all. */
  private async require(id: string): Promise<AlertRow> {
    const alert = await this.alerts.find(id);
    if (!alert) throw new NotFoundException(`emergency ${id} not found`);
    return alert;
  }
}
