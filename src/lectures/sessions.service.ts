import { ConflictException, ForbiddenException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { UserPrincipal } from '../auth/access.decorator';
import { AccessRegistry } from '../auth/access.registry';
import type { Prisma } from '../generated/prisma/client';
import { badRequest } from '../infra/http/error-body';
import type { Parsed } from '../infra/http/validation';
import type { BroadcastAiredPayload, LectureSessionPayload, VolunteerHoursPayload } from '../ledger/domain/entries';
import { countyDayRange } from '../ledger/domain/periods';
import type { LedgerDraft } from '../ledger/ledger.repository';
import { LedgerService } from '../ledger/ledger.service';
import { HoursWorked, PointsService } from '../points/points.service';
import { ProgrammesService } from '../programmes/programmes.service';
import { countyDate, countyInstant, countyIso, fromDbDate } from '../scheduling/domain/county-time';
import { SchedulingRepository } from '../scheduling/scheduling.repository';
import { SchedulingService } from '../scheduling/scheduling.service';
import { CompleteSessionBody, CreateSessionBody, SessionsQuery } from './lectures.dto';
import { OrdersRepository } from './orders.repository';
import { SESSION_INCLUDE, SessionsRepository } from './sessions.repository';
import { TeamsService } from './teams.service';
import { TopicsService } from './topics.service';

type SessionRow = Prisma.LectureSessionGetPayload<{ include: typeof SESSION_INCLUDE }>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const nameOf = (user: { username: string; displayName: string | null }) => user.displayName ?? user.username;

/**
 * Lecture sessions: registered by a lecturer for their team or by an
 * operator, completed with who came (a ledger entry, points, the order they
 * deliver), or, on air, placed into the 17:30 rundown and completed after
 * the slot from what the endpoints reported.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger('LectureSessions');

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly orders: OrdersRepository,
    private readonly topics: TopicsService,
    private readonly teams: TeamsService,
    private readonly programmes: ProgrammesService,
    private readonly scheduling: SchedulingService,
    private readonly schedule: SchedulingRepository,
    private readonly points: PointsService,
    private readonly ledger: LedgerService,
    private readonly access: AccessRegistry,
  ) {}

  async create(actor: UserPrincipal, body: Parsed<typeof CreateSessionBody>) {
    const region = (await this.access.region(body.regionCode))!;
    const topic = await this.topics.requireOnMenu(body.topicId, region.countyCode);
    const lecturerIds = [...new Set(body.lecturerIds)];
    await this.checkTeam(actor, body.teamId, body.regionCode, lecturerIds);
    await this.teams.requireLecturers(body.regionCode, lecturerIds);
    if (body.orderId) await this.checkOrder(body.orderId, body);

    const startsAt = new Date(body.startsAt);
    let broadcastId: string | null = null;
    let airDate: string | null = null;
    if (body.mode === 'on_air') {
      // Through the scheduler, under the rundown rule: a recording that does not fit the window is refused (409).
      airDate = countyDate(startsAt);
      const programme = await this.programmes.create(actor, { title: `${topic.title}（宣讲）`, category: 'lecture', segments: [body.recordingMediaId!] });
      const broadcast = await this.scheduling.createBroadcast(actor, { programmeId: programme.id, slot: 'evening', regionCodes: [body.regionCode], date: airDate });
      broadcastId = broadcast.id;
    }
    const session = await this.sessions.create({
      topicId: topic.id,
      mode: body.mode,
      regionCode: body.regionCode,
      countyCode: region.countyCode,
      teamId: body.teamId ?? null,
      startsAt,
      plannedMinutes: body.plannedMinutes,
      notes: body.notes ?? null,
      recordingMediaId: body.recordingMediaId ?? null,
      broadcastId,
      airDate,
      orderId: body.orderId ?? null,
      createdById: actor.id,
      lecturerIds,
    });
    return sessionView(session);
  }

  async get(id: string) {
    return sessionView(await this.require(id));
  }

  async list(actor: UserPrincipal, query: Parsed<typeof SessionsQuery>) {
    const rows = await this.sessions.list({ scopeCode: query.region ?? actor.scopeCode, ...countyDayRange(query.from, query.to), mode: query.mode, status: query.status }, query.limit);
    return { items: rows.map(sessionView) };
  }

  /** An on-site or online session, with who came: its ledger entry, volunteers' hours and everyone's points, in one transaction. */
  async complete(actor: UserPrincipal, id: string, body: Parsed<typeof CompleteSessionBody>) {
    const session = await this.require(id);
    this.requireOwnSession(actor, session);
    if (session.mode === 'on_air') throw new ConflictException('an on-air session is completed by the reconciliation after its slot, from what the endpoints aired');
    if (session.status !== 'planned') throw new ConflictException(`the session is ${session.status} already`);
    const ids = [...new Set(body.signIns.filter((signIn) => UUID.test(signIn)).map((signIn) => signIn.toLowerCase()))];
    const names = [...new Set(body.signIns.filter((signIn) => !UUID.test(signIn)))];

    await this.ledger.inTransaction(async (tx) => {
      if (!(await this.sessions.finish(tx, id, 'completed'))) throw new ConflictException('the session changed meanwhile; look at it again');
      const { known, named } = await this.sessions.volunteers(tx, { regionCode: session.regionCode, countyCode: session.countyCode }, ids, names);
      const unknown = ids.filter((volunteerId) => !known.some((volunteer) => volunteer.id === volunteerId));
      if (unknown.length) throw badRequest(`no volunteer of this county has the id ${unknown.join(', ')}`, unknown.map((volunteerId) => ({ path: 'body.signIns', message: `unknown volunteer ${volunteerId}` })));
      const volunteers = [...new Map([...known, ...named].map((volunteer) => [volunteer.id, volunteer])).values()];
      const payload = await this.entryPayload(session, { actualMinutes: body.actualMinutes, attendance: body.attendance, volunteers: volunteers.map((v) => ({ id: v.id, name: v.name })), onAir: null });
      const hours: HoursWorked[] = volunteers.map((volunteer) => ({
        holder: { type: 'volunteer', id: volunteer.id },
        name: volunteer.name,
        homeRegionCode: volunteer.regionCode,
        minutes: body.actualMinutes,
        reason: 'volunteer hours',
        sessionId: id,
      }));
      const volunteerDrafts: LedgerDraft[] = volunteers.map((volunteer) => {
        const hoursPayload: VolunteerHoursPayload = { volunteerId: volunteer.id, name: volunteer.name, sessionId: id, minutes: body.actualMinutes };
        return { kind: 'volunteer_hours', actorId: actor.id, regionCode: session.regionCode, occurredAt: session.startsAt, subject: `volunteer:${volunteer.id}`, payload: hoursPayload };
      });
      await this.record(tx, session, actor.id, session.startsAt, payload, [...hours, ...this.lectureHours(session, body.actualMinutes)], volunteerDrafts);
    });
    return this.get(id);
  }

  async cancel(actor: UserPrincipal, id: string) {
    const session = await this.require(id);
    this.requireOwnSession(actor, session);
    if (session.status !== 'planned') throw new ConflictException(`the session is ${session.status} already`);
    await this.ledger.inTransaction(async (tx) => {
      if (!(await this.sessions.finish(tx, id, 'cancelled'))) throw new ConflictException('the session changed meanwhile; look at it again');
    });
    if (session.broadcastId) await this.scheduling.cancelBroadcast(session.broadcastId);
    return this.get(id);
  }

  /**
   * Completes the county's on-air sessions that aired by the date, each from
   * the ledger's record of what its broadcast reached. The date's own
   * reconciliation has just run: a broadcast of the date it did not record
   * reached no endpoint. One of an earlier date without a record waits (that
   * evening's reconciliation never ran). Answers how many were completed.
   */
  async recordOnAir(countyCode: string, date: string): Promise<number> {
    let completed = 0;
    for (const session of await this.sessions.onAirWaiting(countyCode, date)) {
      const airDate = fromDbDate(session.airDate!);
      const aired = await this.ledger.recorded(`broadcast-aired:${session.broadcastId}:${airDate}`);
      if (!aired && airDate !== date) continue;
      const plan = await this.schedule.plan(session.broadcastId!);
      const slot = plan && (await this.schedule.slot(plan.countyCode, plan.slotName));
      const reach = aired ? (aired.payload as unknown as BroadcastAiredPayload) : { broadcastId: session.broadcastId!, endpoints: 0, played: 0, reached: 0, regionsReached: [], regions: [] };
      const minutes = Math.max(1, Math.ceil((plan?.programme.durationMs ?? session.plannedMinutes * 60_000) / 60_000));
      const airedAt = countyInstant(airDate, slot?.startMinute ?? 0);
      const onAir = { broadcastId: reach.broadcastId, date: airDate, endpoints: reach.endpoints, played: reach.played, reached: reach.reached, regionsReached: reach.regionsReached, regions: reach.regions };
      const done = await this.ledger.inTransaction(async (tx) => {
        if (!(await this.sessions.finish(tx, session.id, 'completed'))) return false;
        const payload = await this.entryPayload(session, { actualMinutes: minutes, attendance: reach.played, volunteers: [], onAir });
        await this.record(tx, session, null, airedAt, payload, this.lectureHours(session, minutes), []);
        return true;
      });
      if (done) completed++;
    }
    if (completed) this.logger.log(`recorded ${completed} on-air lecture sessions of ${countyCode} up to ${date}`);
    return completed;
  }

  /** The session's ledger entry first, then the volunteers' hours and the points; an order it delivers moves on with it. */
  private async record(tx: Prisma.TransactionClient, session: SessionRow, actorId: string | null, occurredAt: Date, payload: LectureSessionPayload, hours: HoursWorked[], extra: LedgerDraft[]): Promise<void> {
    const pointsDrafts = await this.points.award(tx, session.countyCode, actorId, occurredAt, hours);
    if (session.orderId) await this.orders.move(session.orderId, ['accepted', 'escalated'], { status: 'delivered', deliveredAt: new Date() }, tx);
    const [entry] = await this.ledger.append(tx, [
      { kind: 'lecture_session', actorId, regionCode: session.regionCode, occurredAt, subject: `lecture-session:${session.id}`, payload, dedupeKey: `lecture-session:${session.id}` },
      ...extra,
      ...pointsDrafts,
    ]);
    await this.sessions.setLedgerSeq(tx, session.id, entry.seq);
  }

  private lectureHours(session: SessionRow, minutes: number): HoursWorked[] {
    return session.lecturers.map(({ user }) => ({
      holder: { type: 'lecturer', id: user.id },
      name: nameOf(user),
      homeRegionCode: user.scopeCode ?? session.regionCode,
      minutes,
      reason: 'lecture hours',
      sessionId: session.id,
    }));
  }

  private async entryPayload(session: SessionRow, done: Pick<LectureSessionPayload, 'actualMinutes' | 'attendance' | 'volunteers' | 'onAir'>): Promise<LectureSessionPayload> {
    return {
      sessionId: session.id,
      mode: session.mode,
      topicId: session.topicId,
      topicTitle: session.topic.title,
      theme: await this.topics.themeOf(session.countyCode, countyDate(session.startsAt).slice(0, 7)),
      teamId: session.teamId,
      lecturers: session.lecturers.map(({ user }) => ({ id: user.id, name: nameOf(user) })),
      startsAt: countyIso(session.startsAt),
      plannedMinutes: session.plannedMinutes,
      orderId: session.orderId,
      ...done,
    };
  }

  /**
   * A lecturer registers only for a team they belong to, and names only its
   * members; a team named by anyone must work where the session is.
   */
  private async checkTeam(actor: UserPrincipal, teamId: string | undefined, regionCode: string, lecturerIds: string[]): Promise<void> {
    if (!teamId) {
      if (actor.role === 'lecturer') throw badRequest('Name your team (teamId): a lecturer registers sessions for a team they belong to', [{ path: 'body.teamId', message: 'is required for a lecturer' }]);
      return;
    }
    const team = await this.teams.require(teamId);
    const members = new Set(team.members.map((member) => member.userId));
    if (actor.role === 'lecturer' && !members.has(actor.id)) throw new ForbiddenException(`You are not a member of team "${team.name}"`);
    const outsiders = lecturerIds.filter((id) => !members.has(id));
    if (outsiders.length) throw badRequest(`Not members of team "${team.name}": ${outsiders.join(', ')}`, outsiders.map((id) => ({ path: 'body.lecturerIds', message: `${id} is not a member` })));
    if (!(await this.access.reaches(team.regionCode, regionCode))) throw badRequest(`Team "${team.name}" works in ${team.regionCode}; ${regionCode} is outside it`);
  }

  /** A session delivering an order: the order was accepted by this team, for this village and topic. */
  private async checkOrder(orderId: string, body: Parsed<typeof CreateSessionBody>): Promise<void> {
    const order = await this.orders.find(orderId);
    if (!order) throw new NotFoundException(`order ${orderId} not found`);
    if (order.status !== 'accepted') throw new ConflictException(`the order is ${order.status}; a session delivers an accepted order`);
    if (order.session) throw new ConflictException(`the order has a session already (${order.session.id})`);
    const mismatch = [
      order.regionCode !== body.regionCode && `it is for ${order.regionCode}`,
      order.topicId !== body.topicId && `it asks for topic ${order.topicId}`,
      order.teamId !== (body.teamId ?? null) && `it was dispatched to team ${order.teamId}`,
    ].filter(Boolean);
    if (mismatch.length) throw badRequest(`This session does not deliver order ${orderId}: ${mismatch.join('; ')}`);
  }

  /** A lecturer acts on their own sessions only; operators on any in their scope (the guard checked it). */
  private requireOwnSession(actor: UserPrincipal, session: SessionRow): void {
    if (actor.role === 'lecturer' && !session.lecturers.some(({ user }) => user.id === actor.id)) throw new ForbiddenException('You are not a lecturer of this session');
  }

  private async require(id: string): Promise<SessionRow> {
    const session = await this.sessions.find(id);
    if (!session) throw new NotFoundException(`lecture session ${id} not found`);
    return session;
  }
}

function sessionView(session: SessionRow) {
  return {
    id: session.id,
    topicId: session.topicId,
    topicTitle: session.topic.title,
    mode: session.mode,
    status: session.status,
    regionCode: session.regionCode,
    teamId: session.teamId,
    startsAt: countyIso(session.startsAt),
    plannedMinutes: session.plannedMinutes,
    notes: session.notes,
    lecturers: session.lecturers.map(({ user }) => ({ id: user.id, name: nameOf(user) })),
    recordingMediaId: session.recordingMediaId,
    broadcastId: session.broadcastId,
    airDate: session.airDate ? fromDbDate(session.airDate) : null,
    orderId: session.orderId,
    completedAt: session.completedAt ? countyIso(session.completedAt) : null,
    ledgerSeq: session.ledgerSeq?.toString() ?? null,
  };
}
