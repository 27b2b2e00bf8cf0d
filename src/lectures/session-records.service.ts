import { Injectable, Logger } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client';
import { Transactions } from '../infra/database/transactions';
import { countyDate, countyInstant, countyIso, fromDbDate } from '../kernel/county-time';
import { airedKey, LATE_RECEIPTS, lateCorrectionKey, reachChanges } from '../ledger/domain/entries';
import type { LectureSessionPayload, Reach } from '../ledger/domain/entries';
import type { LedgerDraft } from '../ledger/ledger.repository';
import { LedgerService } from '../ledger/ledger.service';
import { HoursWorked, PointsService } from '../points/points.service';
import { SchedulingService } from '../scheduling/scheduling.service';
import { OrdersRepository } from './orders.repository';
import { nameOf, SessionRow, SessionsRepository } from './sessions.repository';
import { TopicsService } from './topics.service';

const sessionKey = (id: string) => `lecture-session:${id}`;

/**
 * What a lecture session leaves behind once given: its ledger entry, the
 * lecturers' and volunteers' hours and points, the order it delivers. An
 * on-air session is completed here after its slot, from what the endpoints
 * reported, and corrected when late receipts move those figures.
 */
@Injectable()
export class SessionRecords {
  private readonly logger = new Logger('LectureSessions');

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly orders: OrdersRepository,
    private readonly topics: TopicsService,
    private readonly scheduling: SchedulingService,
    private readonly points: PointsService,
    private readonly ledger: LedgerService,
    private readonly transactions: Transactions,
  ) {}

  /**
   * Completes the county's on-air sessions that aired by the date, each from
   * the ledger's record of what its broadcast reached. The date's own
   * reconciliation has just run: a broadcast of the date it did not record
   * reached no endpoint. One of an earlier date without a record waits (that
   * evening's reconciliation never ran). A session of the date completed
   * before is corrected if late receipts moved its broadcast's figures.
   * Answers how many were completed or corrected.
   */
  async recordOnAir(countyCode: string, date: string): Promise<number> {
    let recorded = 0;
    for (const session of await this.sessions.onAirWaiting(countyCode, date)) {
      if (await this.completeOnAir(session, date)) recorded++;
    }
    for (const session of await this.sessions.onAirCompleted(countyCode, date)) {
      if (await this.correctOnAir(session, date)) recorded++;
    }
    if (recorded) this.logger.log(`recorded ${recorded} on-air lecture sessions of ${countyCode} for ${date}`);
    return recorded;
  }

  private async completeOnAir(session: SessionRow, date: string): Promise<boolean> {
    const airDate = fromDbDate(session.airDate!);
    const aired = await this.ledger.recordedAsCorrected('broadcast_aired', airedKey(session.broadcastId!, airDate));
    if (!aired && airDate !== date) return false;
    const plan = await this.scheduling.plan(session.broadcastId!);
    if (!plan || plan.cancelled) {
      // Its broadcast was cancelled (DELETE /broadcasts/:id): it did not air, so the session did not take place.
      await this.transactions.run((tx) => this.sessions.finish(tx, session.id, 'cancelled'));
      return false;
    }
    const slot = await this.scheduling.slot(plan.countyCode, plan.slotName);
    const reach: Reach = aired
      ? aired.payload
      : { endpoints: 0, played: 0, reached: 0, regionsReached: [], regions: [] };
    const minutes = Math.max(1, Math.ceil(plan.airs.durationMs / 60_000));
    const airedAt = countyInstant(airDate, slot?.startMinute ?? 0);
    const onAir = {
      broadcastId: session.broadcastId!,
      date: airDate,
      endpoints: reach.endpoints,
      played: reach.played,
      reached: reach.reached,
      regionsReached: reach.regionsReached,
      regions: reach.regions,
    };
    return this.transactions.run(async (tx) => {
      if (!(await this.sessions.finish(tx, session.id, 'completed'))) return false;
      const payload = await this.entryPayload(session, {
        actualMinutes: minutes,
        attendance: reach.played,
        volunteers: [],
        onAir,
      });
      await this.record(tx, session, null, airedAt, payload, this.lectureHours(session, minutes), []);
      return true;
    });
  }

  /**
   * Records an on-air session given live, once its live session has ended and
   * the loudspeakers have reported: as any on-air session, from what they
   * played, for as long as it was live. False if it was recorded (or
   * cancelled) already.
   */
  async recordLive(
    sessionId: string,
    live: { liveSessionId: string; startedAt: Date; minutes: number; reach: Reach },
  ): Promise<boolean> {
    const session = await this.sessions.find(sessionId);
    if (!session || session.status !== 'planned' || session.mode !== 'on_air' || session.broadcastId) return false;
    const onAir = { liveSessionId: live.liveSessionId, date: countyDate(live.startedAt), ...live.reach };
    return this.transactions.run(async (tx) => {
      if (!(await this.sessions.finish(tx, session.id, 'completed'))) return false;
      const payload = await this.entryPayload(session, {
        actualMinutes: live.minutes,
        attendance: live.reach.played,
        volunteers: [],
        onAir,
      });
      await this.record(tx, session, null, live.startedAt, payload, this.lectureHours(session, live.minutes), []);
      return true;
    });
  }

  /** Late receipts moved the broadcast's figures: the session's entry is corrected to match, by the service. */
  private async correctOnAir(session: SessionRow, date: string): Promise<boolean> {
    const aired = await this.ledger.recordedAsCorrected('broadcast_aired', airedKey(session.broadcastId!, date));
    const entry = await this.ledger.recordedAsCorrected('lecture_session', sessionKey(session.id));
    if (!aired || !entry) return false;
    const payload = entry.payload;
    const now = aired.payload;
    const changes = payload.onAir && reachChanges(payload.onAir, now);
    if (!changes) return false;
    await this.ledger.appendAlone([
      this.ledger.correctionOf(
        entry,
        null,
        LATE_RECEIPTS,
        { attendance: now.played, onAir: { ...payload.onAir!, ...changes } },
        lateCorrectionKey(sessionKey(session.id), now),
      ),
    ]);
    return true;
  }

  /** The session's ledger entry first, then the volunteers' hours and the points; an order it delivers moves on with it. */
  async record(
    tx: Prisma.TransactionClient,
    session: SessionRow,
    actorId: string | null,
    occurredAt: Date,
    payload: LectureSessionPayload,
    hours: HoursWorked[],
    extra: LedgerDraft[],
  ): Promise<void> {
    const pointsDrafts = await this.points.award(tx, session.countyCode, actorId, occurredAt, hours);
    // Delivered when the session was given, however late it is written up; only by the team the order is with.
    if (session.orderId) await this.orders.deliver(tx, session.orderId, session.teamId, occurredAt);
    const [entry] = await this.ledger.append(tx, [
      {
        kind: 'lecture_session',
        actorId,
        regionCode: session.regionCode,
        occurredAt,
        subject: sessionKey(session.id),
        payload,
        dedupeKey: sessionKey(session.id),
      },
      ...extra,
      ...pointsDrafts,
    ]);
    await this.sessions.setLedgerSeq(tx, session.id, entry.seq);
  }

  lectureHours(session: SessionRow, minutes: number): HoursWorked[] {
    return session.lecturers.map(({ user }) => ({
      holder: { type: 'lecturer', id: user.id },
      name: nameOf(user),
      homeRegionCode: user.scopeCode ?? session.regionCode,
      minutes,
      reason: 'lecture hours',
      sessionId: session.id,
    }));
  }

  async entryPayload(
    session: SessionRow,
    done: Pick<LectureSessionPayload, 'actualMinutes' | 'attendance' | 'volunteers' | 'onAir'>,
  ): Promise<LectureSessionPayload> {
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
}
