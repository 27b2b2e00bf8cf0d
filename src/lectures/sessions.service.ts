import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { UserPrincipal } from '../auth/access.decorator';
import { AccessRegistry } from '../auth/access.registry';
import { Transactions } from '../infra/database/transactions';
import { badRequest } from '../infra/http/error-body';
import type { Parsed } from '../infra/http/validation';
import type { VolunteerHoursPayload } from '../ledger/domain/entries';
import { countyDayRange } from '../ledger/domain/periods';
import type { LedgerDraft } from '../ledger/ledger.repository';
import type { HoursWorked } from '../points/points.service';
import { ProgrammesService } from '../programmes/programmes.service';
import { countyDate, countyInstant, countyIso, fromDbDate } from '../kernel/county-time';
import { SchedulingService } from '../scheduling/scheduling.service';
import { AttendanceRepository } from './attendance.repository';
import { attendedMinutes } from './domain/attendance';
import { CompleteSessionBody, CreateSessionBody, SessionsQuery } from './lectures.dto';
import { OrdersRepository } from './orders.repository';
import { SessionRecords } from './session-records.service';
import { nameOf, SessionRow, SessionsRepository } from './sessions.repository';
import { TeamsService } from './teams.service';
import { TopicsService } from './topics.service';

// On-air sessions air in the county's evening slot.
const ON_AIR_SLOT = 'evening';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Lecture sessions: registered by a lecturer for their team or by an
 * operator, completed with who came (a ledger entry, points, the order they
 * deliver), or, on air, placed into the 17:30 rundown and completed after
 * the slot from what the endpoints reported (SessionRecords writes both up).
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly orders: OrdersRepository,
    private readonly topics: TopicsService,
    private readonly teams: TeamsService,
    private readonly programmes: ProgrammesService,
    private readonly scheduling: SchedulingService,
    private readonly records: SessionRecords,
    private readonly transactions: Transactions,
    private readonly access: AccessRegistry,
    private readonly attendance: AttendanceRepository,
  ) {}

  async create(actor: UserPrincipal, body: Parsed<typeof CreateSessionBody>) {
    const region = (await this.access.region(body.regionCode))!;
    const topic = await this.topics.requireOnMenu(body.topicId, region.countyCode);
    const lecturerIds = [...new Set(body.lecturerIds)];
    await this.checkTeam(actor, body.teamId, body.regionCode, lecturerIds);
    await this.teams.requireLecturers(body.regionCode, lecturerIds);
    if (body.orderId) await this.checkOrder(actor, body.orderId, body);

    const startsAt = new Date(body.startsAt);
    const onAir =
      body.mode === 'on_air' && !body.live ? await this.placeOnAir(actor, topic.title, body, region.countyCode) : null;
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
      broadcastId: onAir?.broadcastId ?? null,
      // Given live: its date is the day it is spoken, whenever that is.
      airDate: onAir?.airDate ?? (body.live ? countyDate(startsAt) : null),
      orderId: body.orderId ?? null,
      createdById: actor.id,
      lecturerIds,
    });
    if (!session) {
      // Another session took the order first: the broadcast made for this one must not air.
      if (onAir) await this.scheduling.cancelBroadcast(onAir.broadcastId);
      throw new ConflictException(`order ${body.orderId} has a session already`);
    }
    return sessionView(session);
  }

  /**
   * An on-air session's recording, put into the evening slot of its county
   * date through the scheduler, under the rundown rule: one that does not fit
   * the window is refused (409) and leaves nothing behind. A slot that has
   * begun is too late to join.
   */
  private async placeOnAir(
    actor: UserPrincipal,
    title: string,
    body: Parsed<typeof CreateSessionBody>,
    countyCode: string,
  ): Promise<{ broadcastId: string; airDate: string }> {
    const airDate = countyDate(new Date(body.startsAt));
    if (await this.slotBegun(countyCode, airDate))
      throw new ConflictException(`The ${ON_AIR_SLOT} slot of ${airDate} has begun; put the session on a later date`);
    const programme = await this.programmes.create(actor, {
      title: `${title}（宣讲）`,
      category: 'lecture',
      segments: [body.recordingMediaId!],
    });
    try {
      const broadcast = await this.scheduling.createBroadcast(actor, {
        programmeId: programme.id,
        slot: ON_AIR_SLOT,
        regionCodes: [body.regionCode],
        date: airDate,
      });
      return { broadcastId: broadcast.id, airDate };
    } catch (error) {
      await this.programmes.discardUnscheduled(programme.id);
      throw error;
    }
  }

  async get(id: string) {
    return sessionView(await this.require(id));
  }

  async list(actor: UserPrincipal, query: Parsed<typeof SessionsQuery>) {
    const rows = await this.sessions.list(
      {
        scopeCode: query.region ?? actor.scopeCode,
        ...countyDayRange(query.from, query.to),
        mode: query.mode,
        status: query.status,
        lecturerId: query.mine ? actor.id : undefined,
      },
      query.limit,
    );
    return { items: rows.map(sessionView) };
  }

  /**
   * An on-site or online session, with who came: its ledger entry,
   * volunteers' hours and everyone's points, in one transaction. Volunteers
   * who signed in by the session's QR code are counted from their own times
   * (whoever is still signed in is signed out now); those the lecturer names
   * get the session's actual minutes.
   */
  async complete(actor: UserPrincipal, id: string, body: Parsed<typeof CompleteSessionBody>) {
    const session = await this.require(id);
    this.requireOwnSession(actor, session);
    if (session.mode === 'on_air')
      throw new ConflictException(
        session.broadcastId
          ? 'an on-air session is completed by the reconciliation after its slot, from what the endpoints aired'
          : 'a live on-air session is recorded when its live session ends, from what the loudspeakers played',
      );
    if (session.status !== 'planned') throw new ConflictException(`the session is ${session.status} already`);
    if (session.startsAt.getTime() > Date.now())
      throw new ConflictException(
        `the session starts at ${countyIso(session.startsAt)}; complete it once it has been given`,
      );
    // Sorted: two completions signing in the same new names take their row locks in one order.
    const ids = [
      ...new Set(body.signIns.filter((signIn) => UUID.test(signIn)).map((signIn) => signIn.toLowerCase())),
    ].sort();
    const names = [...new Set(body.signIns.filter((signIn) => !UUID.test(signIn)))].sort();

    await this.transactions.run(async (tx) => {
      const now = new Date();
      if (!(await this.sessions.finish(tx, session.id, 'completed', now)))
        throw new ConflictException('the session changed meanwhile; look at it again');
      const { known, named } = await this.sessions.volunteers(
        tx,
        { regionCode: session.regionCode, countyCode: session.countyCode },
        ids,
        names,
      );
      const unknown = ids.filter((volunteerId) => !known.some((volunteer) => volunteer.id === volunteerId));
      if (unknown.length)
        throw badRequest(
          `no volunteer of this county has the id ${unknown.join(', ')}`,
          unknown.map((volunteerId) => ({ path: 'body.signIns', message: `unknown volunteer ${volunteerId}` })),
        );
      const scanned: VolunteerWork[] = (await this.attendance.close(tx, session.id, now)).map((row) => ({
        ...row.volunteer,
        minutes: attendedMinutes(row.signedInAt, row.signedOutAt),
        signedInAt: countyIso(row.signedInAt),
        signedOutAt: countyIso(row.signedOutAt),
      }));
      // Someone who scanned the code and was also named is counted by their own times.
      const byCode = new Set(scanned.map((volunteer) => volunteer.id));
      const volunteers: VolunteerWork[] = [
        ...scanned,
        ...[...new Map([...known, ...named].map((volunteer) => [volunteer.id, volunteer])).values()]
          .filter((volunteer) => !byCode.has(volunteer.id))
          .map(({ id, name, regionCode }) => ({ id, name, regionCode, minutes: body.actualMinutes })),
      ];
      const payload = await this.records.entryPayload(session, {
        actualMinutes: body.actualMinutes,
        attendance: body.attendance,
        volunteers: volunteers.map((v) => ({ id: v.id, name: v.name })),
        onAir: null,
      });
      await this.records.record(
        tx,
        session,
        actor.id,
        session.startsAt,
        payload,
        [
          ...volunteers.map((v) => volunteerHours(session, v)),
          ...this.records.lectureHours(session, body.actualMinutes),
        ],
        volunteers.map((v) => hoursDraft(session, actor.id, v)),
      );
    });
    return this.get(id);
  }

  /** A planned session withdrawn: an on-air one leaves the rundown, but not once its slot has begun (it airs, and is recorded). */
  async cancel(actor: UserPrincipal, id: string) {
    const session = await this.require(id);
    this.requireOwnSession(actor, session);
    if (session.status !== 'planned') throw new ConflictException(`the session is ${session.status} already`);
    if (session.broadcastId) {
      const airDate = fromDbDate(session.airDate!);
      if (await this.slotBegun(session.countyCode, airDate))
        throw new ConflictException(`it went on air on ${airDate}; it is recorded from what the loudspeakers reported`);
      await this.scheduling.cancelBroadcast(session.broadcastId);
    }
    await this.transactions.run(async (tx) => {
      if (!(await this.sessions.finish(tx, session.id, 'cancelled')))
        throw new ConflictException('the session changed meanwhile; look at it again');
    });
    return this.get(id);
  }

  /** Whether the county's evening slot of the date has begun: too late to join it or to leave it. */
  private async slotBegun(countyCode: string, airDate: string): Promise<boolean> {
    const slot = await this.scheduling.slot(countyCode, ON_AIR_SLOT);
    return slot !== null && Date.now() >= countyInstant(airDate, slot.startMinute).getTime();
  }

  /**
   * A lecturer registers only for a team they belong to, and names only its
   * members; a team named by anyone must work where the session is.
   */
  private async checkTeam(
    actor: UserPrincipal,
    teamId: string | undefined,
    regionCode: string,
    lecturerIds: string[],
  ): Promise<void> {
    if (!teamId) {
      if (actor.role === 'lecturer')
        throw badRequest('Name your team (teamId): a lecturer registers sessions for a team they belong to', [
          { path: 'body.teamId', message: 'is required for a lecturer' },
        ]);
      return;
    }
    const team = await this.teams.require(teamId);
    const members = new Set(team.members.map((member) => member.userId));
    if (actor.role === 'lecturer' && !members.has(actor.id))
      throw new ForbiddenException(`You are not a member of team "${team.name}"`);
    const outsiders = lecturerIds.filter((id) => !members.has(id));
    if (outsiders.length)
      throw badRequest(
        `Not members of team "${team.name}": ${outsiders.join(', ')}`,
        outsiders.map((id) => ({ path: 'body.lecturerIds', message: `${id} is not a member` })),
      );
    if (!(await this.access.reaches(team.regionCode, regionCode)))
      throw badRequest(`Team "${team.name}" works in ${team.regionCode}; ${regionCode} is outside it`);
  }

  /** A session delivering an order: the order was accepted by this team, for this village and topic. */
  private async checkOrder(
    actor: UserPrincipal,
    orderId: string,
    body: Parsed<typeof CreateSessionBody>,
  ): Promise<void> {
    const order = await this.orders.find(orderId);
    // One outside the caller's scope answers as one that does not exist: its state, village and team are not theirs to learn.
    if (!order || !(await this.access.reaches(actor.scopeCode, order.regionCode)))
      throw new NotFoundException(`order ${orderId} not found`);
    if (order.status !== 'accepted')
      throw new ConflictException(`the order is ${order.status}; a session delivers an accepted order`);
    if (order.session) throw new ConflictException(`the order has a session already (${order.session.id})`);
    const mismatch = [
      order.regionCode !== body.regionCode && `it is for ${order.regionCode}`,
      order.topicId !== body.topicId && `it asks for topic ${order.topicId}`,
      order.teamId !== (body.teamId ?? null) && `it was dispatched to team ${order.teamId}`,
    ].filter(Boolean);
    if (mismatch.length) throw badRequest(`This session does not deliver order ${orderId}: ${mismatch.join('; ')}`);
  }

  /** A session the caller may act on (a lecturer only on their own; the guard checked an operator's scope). */
  async requireOwn(actor: UserPrincipal, id: string): Promise<SessionRow> {
    const session = await this.require(id);
    this.requireOwnSession(actor, session);
    return session;
  }

  topicTitles(ids: string[]): Promise<Map<string, string>> {
    return this.sessions.topicTitles(ids);
  }

  /** A lecturer acts on their own sessions only; operators on any in their scope (the guard checked it). */
  private requireOwnSession(actor: UserPrincipal, session: SessionRow): void {
    if (actor.role === 'lecturer' && !session.lecturers.some(({ user }) => user.id === actor.id))
      throw new ForbiddenException('You are not a lecturer of this session');
  }

  private async require(id: string): Promise<SessionRow> {
    const session = await this.sessions.find(id);
    if (!session) throw new NotFoundException(`lecture session ${id} not found`);
    return session;
  }
}

/** A volunteer's part in a completed session: their own times when they scanned its code, else the session's minutes. */
interface VolunteerWork {
  id: string;
  name: string;
  regionCode: string;
  minutes: number;
  signedInAt?: string;
  signedOutAt?: string;
}

function volunteerHours(session: SessionRow, volunteer: VolunteerWork): HoursWorked {
  return {
    holder: { type: 'volunteer', id: volunteer.id },
    name: volunteer.name,
    homeRegionCode: volunteer.regionCode,
    minutes: volunteer.minutes,
    reason: 'volunteer hours',
    sessionId: session.id,
  };
}

function hoursDraft(session: SessionRow, actorId: string, volunteer: VolunteerWork): LedgerDraft {
  const payload: VolunteerHoursPayload = {
    volunteerId: volunteer.id,
    name: volunteer.name,
    sessionId: session.id,
    minutes: volunteer.minutes,
    ...(volunteer.signedInAt ? { signedInAt: volunteer.signedInAt, signedOutAt: volunteer.signedOutAt } : {}),
  };
  return {
    kind: 'volunteer_hours',
    actorId,
    regionCode: session.regionCode,
    occurredAt: session.startsAt,
    subject: `volunteer:${volunteer.id}`,
    payload,
  };
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
