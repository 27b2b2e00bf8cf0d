import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import type { UserPrincipal } from '../auth/access.decorator';
import { AccessRegistry } from '../auth/access.registry';
import { ApiError, badRequest } from '../infra/http/error-body';
import type { Parsed } from '../infra/http/validation';
import { JobQueue } from '../infra/queue/job-queue.service';
import { JobName } from '../infra/queue/jobs';
import { airsOn, airtimeByTarget, BroadcastPlan } from './broadcast-plan';
import {
  addDays,
  countyDate,
  countyInstant,
  countyIso,
  datesFrom,
  formatMinute,
  LocalDate,
  parseMinute,
} from '../kernel/county-time';
import { parseRRule, RecurrenceError } from './domain/recurrence';
import { type Airing, type Overflow, overflowsOn } from './domain/rundown';
import type { RegionPath } from '../kernel/region';
import { PlaylistCompiler } from './playlist-compiler';
import { RelaySources } from './relay-sources';
import { CreateBroadcastBody, PatchBroadcastBody, RundownQuery, SlotBody } from './scheduling.dto';
import { ScheduledPlan, SchedulingRepository, SlotSettings } from './scheduling.repository';
import { ProgrammesService } from '../programmes/programmes.service';
import { RegionsRepository } from '../regions/regions.repository';

/** Playlists are compiled for today and the next two days; further dates are compiled as they come near. */
export const COMPILE_HORIZON_DAYS = 3;
// How far ahead a recurrence is checked against the window: a year of airings.
const CHECK_HORIZON_DAYS = 366;
const MAX_OVERFLOWS_LISTED = 200;
const SLOTS_ARE_COUNTIES = 'Slots belong to counties';
// A change is answered once saved; a recompile Redis has not taken by then is queued when it can be.
const ENQUEUE_WAIT_MS = 2_000;

/** Every change here needs a recompile through the queue, so each is refused up front (503) while Redis is away. */
@Injectable()
export class SchedulingService {
  private readonly logger = new Logger('Scheduling');

  constructor(
    private readonly schedule: SchedulingRepository,
    private readonly regions: RegionsRepository,
    private readonly programmes: ProgrammesService,
    private readonly compiler: PlaylistCompiler,
    private readonly queue: JobQueue,
    private readonly access: AccessRegistry,
    private readonly relaySources: RelaySources,
  ) {}

  async createBroadcast(actor: UserPrincipal, body: Parsed<typeof CreateBroadcastBody>) {
    this.queue.requireAvailable();
    const planned = await this.planBroadcast(actor, body);
    const { countyCode, regionCodes, candidate } = planned;
    const { airs } = candidate;
    const id = await this.schedule.underCountyLock(countyCode, async () => {
      this.refuse(planned.slot, await this.overflows(planned));
      return this.schedule.create({
        programmeId: airs.kind === 'programme' ? airs.id : null,
        relay: airs.kind === 'relay' ? airs : null,
        countyCode,
        scopeCode: commonRegion(regionCodes, planned.levels),
        slotName: planned.slot.name,
        startDate: candidate.startDate,
        rrule:
          body.recurrence === undefined
            ? null
            : body.recurrence
                .trim()
                .replace(/^RRULE:/i, '')
                .toUpperCase(),
        until: candidate.until,
        createdById: actor.id,
        targets: candidate.targets,
      });
    });
    await this.recompile(countyCode, regionCodes);
    return this.getBroadcast(id);
  }

  /** What creating would refuse, without saving: the console asks before it offers to save. */
  async checkBroadcast(actor: UserPrincipal, body: Parsed<typeof CreateBroadcastBody>) {
    const overflows = await this.overflows(await this.planBroadcast(actor, body));
    return { fits: overflows.length === 0, overflows: overflows.slice(0, MAX_OVERFLOWS_LISTED) };
  }

  /** Validates a new broadcast and shapes it as the overflow rule sees it. */
  private async planBroadcast(actor: UserPrincipal, body: Parsed<typeof CreateBroadcastBody>) {
    const relayUrl = body.relay ? this.relaySources.parse(body.relay.url) : null;
    const programme = body.programmeId ? await this.programmes.get(body.programmeId) : null;
    if (programme) await this.requireVisible(actor, programme.regionCode, `programme ${programme.id}`);
    const regionCodes = [...new Set(body.regionCodes)];
    const levels = await this.regions.levels(regionCodes);
    const counties = new Set([...levels.values()].map((region) => region.countyCode));
    if (counties.size !== 1)
      throw badRequest('All target regions must be in one county (each county has its own slots)');
    const [countyCode] = counties;
    const slot = await this.requireSlot(countyCode, body.slot);

    const today = countyDate(new Date());
    const startDate = body.date ?? body.startDate ?? today;
    if (startDate < today) throw badRequest(`${startDate} has passed (today is ${today} in county time)`);
    if (body.date && body.until) throw badRequest('until belongs to a recurrence; a single date needs none');
    if (body.until && body.until < startDate)
      throw badRequest(`until (${body.until}) is before the first date (${startDate})`);
    const rule = body.recurrence === undefined ? null : this.parseRule(body.recurrence);
    // Last, being slow: everything else about the broadcast is known to be right before the stream is fetched.
    const airs: Airing = programme
      ? { kind: 'programme', id: programme.id, title: programme.title, durationMs: programme.durationMs, segments: [] }
      : await this.relaySources.airing(relayUrl!, body.relay!);

    const targets = await Promise.all(
      regionCodes.map(async (regionCode) => ({
        regionCode,
        level: levels.get(regionCode)!.level,
        position: body.position ?? (await this.schedule.nextPosition(regionCode)),
      })),
    );
    const candidate: BroadcastPlan = {
      id: 'candidate',
      startDate,
      until: body.until ?? null,
      rule,
      createdAt: Date.now(),
      targets,
      airs,
    };
    return { countyCode, slot, regionCodes, levels, candidate, dates: this.airingDates(candidate, today) };
  }

  async patchBroadcast(id: string, body: Parsed<typeof PatchBroadcastBody>) {
    this.queue.requireAvailable();
    const plan = await this.requireBroadcast(id);
    if (plan.cancelled) throw new ConflictException(`broadcast ${id} is cancelled`);
    const today = countyDate(new Date());
    if (body.until && body.until < plan.startDate)
      throw badRequest(`until (${body.until}) is before the first date (${plan.startDate})`);
    if (body.until !== undefined && plan.rule === null)
      throw badRequest('until belongs to a recurrence; cancel a single-date broadcast instead');
    const roots = plan.targets.map((target) => target.regionCode);
    await this.schedule.underCountyLock(plan.countyCode, async () => {
      if (body.until !== undefined) {
        const extended: BroadcastPlan = { ...plan, until: body.until };
        const before = new Set(this.airingDates(plan, today));
        const added = this.airingDates(extended, today).filter((date) => !before.has(date));
        const slot = await this.requireSlot(plan.countyCode, plan.slotName);
        this.refuse(
          slot,
          await this.overflows({
            countyCode: plan.countyCode,
            slot,
            candidate: extended,
            except: id,
            dates: added,
            regionCodes: roots,
          }),
        );
      }
      const positions = body.position === undefined ? undefined : new Map(roots.map((code) => [code, body.position!]));
      await this.schedule.update(id, { until: body.until, positions });
    });
    await this.recompile(plan.countyCode, roots);
    return this.getBroadcast(id);
  }

  async cancelBroadcast(id: string): Promise<void> {
    this.queue.requireAvailable();
    const plan = await this.requireBroadcast(id);
    if (plan.cancelled) return;
    await this.schedule.cancel(id);
    await this.recompile(
      plan.countyCode,
      plan.targets.map((target) => target.regionCode),
    );
  }

  /** A county's slot as set (or its default), for features that time what they do by it; null when it has none. */
  slot(countyCode: string, name: string): Promise<SlotSettings | null> {
    return this.schedule.slot(countyCode, name);
  }

  /** A broadcast's plan, cancelled or not, for features that follow what they scheduled; null when there is none. */
  plan(id: string): Promise<ScheduledPlan | null> {
    return this.schedule.plan(id);
  }

  async getBroadcast(id: string) {
    return broadcastView(await this.requireBroadcast(id));
  }

  async listBroadcasts(regionCode: string) {
    const regions = await this.regions.pathsUnder([regionCode]);
    return { items: (await this.schedule.reaching(regions.map((region) => region.code))).map(broadcastView) };
  }

  async rundown(regionCode: string, query: Parsed<typeof RundownQuery>) {
    const region = await this.requireRegion(regionCode);
    const slot = await this.requireSlot(region.countyCode, query.slot);
    const items = await this.compiler.rundown(region, query.date, slot);
    const startsAt = countyInstant(query.date, slot.startMinute);
    const totalMs = items.reduce((sum, item) => sum + item.durationMs, 0);
    return {
      regionCode,
      date: query.date,
      slot: {
        name: slot.name,
        start: formatMinute(slot.startMinute),
        windowMinutes: slot.windowMinutes,
        startsAt: countyIso(startsAt),
        endsAt: countyIso(new Date(startsAt.getTime() + slot.windowMinutes * 60_000)),
      },
      items: items.map((item) => ({
        id: item.id,
        broadcastId: item.broadcastId,
        kind: item.kind,
        programmeId: item.programmeId,
        title: item.title,
        level: item.level,
        targetCode: item.targetCode,
        startsAt: countyIso(item.startsAt),
        endsAt: countyIso(new Date(item.startsAt.getTime() + item.durationMs)),
        durationMs: item.durationMs,
      })),
      totalMs,
      remainingMs: slot.windowMinutes * 60_000 - totalMs,
    };
  }

  async slots(countyCode: string) {
    await this.access.requireCounty(countyCode, SLOTS_ARE_COUNTIES);
    const names = await this.schedule.slotNames(countyCode);
    const slots = await Promise.all(names.map((name) => this.schedule.slot(countyCode, name)));
    return { countyCode, items: slots.filter((slot): slot is SlotSettings => slot !== null).map(slotView) };
  }

  /** A shorter window (or a new start) is checked against every airing in the coming year first. */
  async setSlot(countyCode: string, name: string, body: Parsed<typeof SlotBody>) {
    this.queue.requireAvailable();
    await this.access.requireCounty(countyCode, SLOTS_ARE_COUNTIES);
    const slot: SlotSettings = { name, startMinute: parseMinute(body.start)!, windowMinutes: body.windowMinutes };
    const today = countyDate(new Date());
    await this.schedule.underCountyLock(countyCode, async () => {
      this.refuse(
        slot,
        await this.overflows({
          countyCode,
          slot,
          candidate: null,
          dates: datesFrom(today, addDays(today, CHECK_HORIZON_DAYS - 1)),
          regionCodes: [countyCode],
        }),
      );
      await this.schedule.saveSlot(countyCode, slot);
    });
    await this.recompile(countyCode, [countyCode]);
    return slotView(slot);
  }

  /** The regions (topmost of each chain) and dates the candidate would overflow, with the seconds over. */
  private async overflows(change: {
    countyCode: string;
    slot: SlotSettings;
    candidate: BroadcastPlan | null;
    except?: string;
    dates: LocalDate[];
    regionCodes: string[];
  }): Promise<Overflow[]> {
    const { countyCode, slot, candidate, dates } = change;
    if (!dates.length) return [];
    const sorted = [...dates].sort();
    const plans = await this.schedule.plans(countyCode, slot.name, sorted[0], sorted[sorted.length - 1], change.except);
    if (candidate) plans.push(candidate);
    const regions: RegionPath[] = await this.regions.pathsUnder(change.regionCodes);
    const windowMs = slot.windowMinutes * 60_000;
    return sorted.flatMap((date) => overflowsOn(date, windowMs, regions, airtimeByTarget(plans, date)));
  }

  private refuse(slot: SlotSettings, overflows: Overflow[]): void {
    if (!overflows.length) return;
    const worst = Math.max(...overflows.map((overflow) => overflow.overSeconds));
    throw new ApiError(
      409,
      `This would overflow the ${slot.name} slot's ${slot.windowMinutes}-minute window in ${overflows.length} region-date(s), by up to ${worst} s; nothing was changed`,
      overflows.slice(0, MAX_OVERFLOWS_LISTED).map((overflow) => ({
        path: `${overflow.regionCode}@${overflow.date}`,
        message: `${overflow.overSeconds} s over the window`,
        regionCode: overflow.regionCode,
        date: overflow.date,
        overSeconds: overflow.overSeconds,
      })),
    );
  }

  /** Dates from today on that a plan airs, up to a year ahead. */
  private airingDates(plan: BroadcastPlan, today: LocalDate): LocalDate[] {
    const from = plan.startDate > today ? plan.startDate : today;
    let to = addDays(today, CHECK_HORIZON_DAYS - 1);
    if (plan.until && plan.until < to) to = plan.until;
    return from > to ? [] : datesFrom(from, to).filter((date) => airsOn(plan, date));
  }

  private async recompile(countyCode: string, roots: string[]): Promise<void> {
    const today = countyDate(new Date());
    const dates = Array.from({ length: COMPILE_HORIZON_DAYS }, (_, day) => addDays(today, day));
    if (!(await this.queue.offer(JobName.CompilePlaylists, { countyCode, dates, roots }, undefined, ENQUEUE_WAIT_MS))) {
      this.logger.warn(`recompiling ${roots.join(', ')} is queued for when Redis answers again`);
    }
  }

  private parseRule(text: string) {
    try {
      return parseRRule(text);
    } catch (error) {
      if (error instanceof RecurrenceError)
        throw badRequest(`recurrence: ${error.message}`, [{ path: 'body.recurrence', message: error.message }]);
      throw error;
    }
  }

  private async requireVisible(actor: UserPrincipal, regionCode: string | null, what: string): Promise<void> {
    if (!(await this.access.reaches(actor.scopeCode, regionCode)))
      throw new ForbiddenException(`${what} is outside your scope (${actor.scopeCode})`);
  }

  private async requireSlot(countyCode: string, name: string): Promise<SlotSettings> {
    const slot = await this.schedule.slot(countyCode, name);
    if (!slot)
      throw new BadRequestException(
        `County ${countyCode} has no slot "${name}"; set one with PUT /api/v1/regions/${countyCode}/slots/${name}`,
      );
    return slot;
  }

  private async requireBroadcast(id: string) {
    const plan = await this.schedule.plan(id);
    if (!plan) throw new NotFoundException(`broadcast ${id} not found`);
    return plan;
  }

  private async requireRegion(code: string): Promise<RegionPath> {
    const region = await this.regions.findRef(code);
    if (!region) throw new NotFoundException(`Region ${code} not found`);
    return region;
  }
}

function slotView(slot: SlotSettings) {
  return { name: slot.name, start: formatMinute(slot.startMinute), windowMinutes: slot.windowMinutes };
}

function broadcastView(plan: ScheduledPlan) {
  const { airs } = plan;
  return {
    id: plan.id,
    programmeId: airs.kind === 'programme' ? airs.id : null,
    programmeTitle: airs.kind === 'programme' ? airs.title : null,
    title: airs.title,
    relay: airs.kind === 'relay' ? { url: airs.url, title: airs.title, durationSeconds: airs.durationMs / 1000 } : null,
    slot: plan.slotName,
    countyCode: plan.countyCode,
    targets: plan.targets,
    startDate: plan.startDate,
    recurrence: plan.rrule,
    until: plan.until,
    durationMs: airs.durationMs,
    cancelled: plan.cancelled,
  };
}

/** The smallest region holding every target: one target, their shared township, or the county. */
function commonRegion(
  codes: string[],
  paths: Map<string, { countyCode: string; townshipCode: string | null }>,
): string {
  if (codes.length === 1) return codes[0];
  const townships = new Set(codes.map((code) => paths.get(code)!.townshipCode));
  const [township] = townships;
  return townships.size === 1 && township !== null ? township : paths.get(codes[0])!.countyCode;
}
