import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { UserPrincipal, VolunteerPrincipal } from '../auth/access.decorator';
import { sameToken } from '../auth/domain/web-session';
import { Transactions } from '../infra/database/transactions';
import { countyIso } from '../kernel/county-time';
import { signInOpensAt } from './domain/attendance';
import { AttendanceRepository } from './attendance.repository';
import { SessionsService } from './sessions.service';

// One answer for a wrong key and for no such session: a guesser learns nothing.
const NO_SUCH_SESSION = 'No session has this sign-in code; scan the code the lecturer shows again';

type PublicSession = NonNullable<Awaited<ReturnType<AttendanceRepository['session']>>>;

const times = (row: { signedInAt: Date; signedOutAt: Date | null }) => ({
  signedInAt: countyIso(row.signedInAt),
  signedOutAt: row.signedOutAt ? countyIso(row.signedOutAt) : null,
});

/**
 * Volunteers sign in and out of a session by scanning the QR code the
 * lecturer shows (it carries the session's secret key): one sign-in and one
 * sign-out each, while the session is planned; their hours at completion are
 * counted from these times.
 */
@Injectable()
export class AttendanceService {
  constructor(
    private readonly attendance: AttendanceRepository,
    private readonly sessions: SessionsService,
    private readonly transactions: Transactions,
  ) {}

  /** The session as its QR code's page shows it, and the caller's own times when their phone has a card. */
  async publicView(id: string, key: string, volunteer: VolunteerPrincipal | null) {
    const session = await this.requireByKey(id, key);
    const own = volunteer && (await this.attendance.of(id, volunteer.id));
    return {
      id: session.id,
      topicTitle: session.topic.title,
      villageName: session.region.name,
      mode: session.mode,
      startsAt: countyIso(session.startsAt),
      status: session.status,
      volunteer: volunteer && { name: volunteer.name, attendance: own ? times(own) : null },
    };
  }

  async signIn(volunteer: VolunteerPrincipal, id: string, key: string) {
    const session = await this.requireOpen(volunteer, id, key);
    const now = new Date();
    const opens = signInOpensAt(session.startsAt);
    if (now < opens)
      throw new ConflictException(`signing in to this session opens at ${countyIso(opens)}, an hour before it starts`);
    const row = await this.transactions.run(async (tx) => {
      this.requireStillPlanned(await this.attendance.lockedStatus(tx, id));
      const created = await this.attendance.signIn(tx, id, volunteer.id, now);
      if (!created) throw new ConflictException('you have signed in to this session already (once per session)');
      return created;
    });
    return times(row);
  }

  async signOut(volunteer: VolunteerPrincipal, id: string, key: string) {
    await this.requireOpen(volunteer, id, key);
    await this.transactions.run(async (tx) => {
      this.requireStillPlanned(await this.attendance.lockedStatus(tx, id));
      if (!(await this.attendance.signOut(tx, id, volunteer.id, new Date()))) {
        const own = await this.attendance.of(id, volunteer.id);
        throw new ConflictException(
          own ? 'you have signed out of this session already' : 'sign in to this session first',
        );
      }
    });
    return times((await this.attendance.of(id, volunteer.id))!);
  }

  /** The URL of the session's sign-in QR code and who has signed in, for a lecturer of the session or an operator in scope. */
  async checkin(actor: UserPrincipal, id: string) {
    const session = await this.sessions.requireOwn(actor, id);
    const rows = await this.attendance.list(id);
    return {
      url: `/v/session/${session.id}?k=${encodeURIComponent(session.checkinKey)}`,
      status: session.status,
      attendance: rows.map((row) => ({ volunteerId: row.volunteer.id, name: row.volunteer.name, ...times(row) })),
    };
  }

  private async requireByKey(id: string, key: string): Promise<PublicSession> {
    const session = await this.attendance.session(id);
    if (!session || !sameToken(key, session.checkinKey)) throw new NotFoundException(NO_SUCH_SESSION);
    return session;
  }

  /** A session of the volunteer's county that still takes sign-ins. */
  private async requireOpen(volunteer: VolunteerPrincipal, id: string, key: string): Promise<PublicSession> {
    const session = await this.requireByKey(id, key);
    if (session.countyCode !== volunteer.countyCode)
      throw new ForbiddenException("this session is in another county; volunteers sign in to their own county's");
    if (session.mode === 'on_air')
      throw new ConflictException('an on-air session has no one to sign in: it is given over the loudspeakers');
    this.requireStillPlanned(session.status);
    return session;
  }

  private requireStillPlanned(status: string | null): void {
    if (status === null) throw new NotFoundException(NO_SUCH_SESSION);
    if (status !== 'planned') throw new ConflictException(`the session is ${status}; signing in or out is closed`);
  }
}
