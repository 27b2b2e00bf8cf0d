import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { VolunteerPrincipal } from '../auth/access.decorator';
import { addressBucket } from '../auth/domain/sign-in-limits';
import { VolunteerCards } from '../auth/volunteer-cards';
import { VolunteerCodes } from '../auth/volunteer-codes';
import type { Parsed } from '../infra/http/validation';
import { RateLimiter } from '../infra/redis/rate-limiter';
import { countyIso } from '../kernel/county-time';
import { SessionsService } from '../lectures/sessions.service';
import { LedgerService } from '../ledger/ledger.service';
import { PointsService } from '../points/points.service';
import { PostersService } from '../villagers/posters.service';
import { maskPhone } from '../kernel/phone';
import { volunteerHistory } from './domain/history';
import { RegisterVolunteerBody } from './volunteers.dto';
import { VolunteersRepository } from './volunteers.repository';

/** Registrations one address may send an hour: a village meeting on one network registers a few dozen people. */
export const REGISTRATIONS_PER_ADDRESS = { max: 30, windowSeconds: 3600 };
const HISTORY_LENGTH = 100;

type Registered = NonNullable<Awaited<ReturnType<VolunteersRepository['find']>>>;

/** Volunteers who registered themselves from their village's poster, their cards, points and history. */
@Injectable()
export class VolunteersService {
  constructor(
    private readonly volunteers: VolunteersRepository,
    private readonly posters: PostersService,
    private readonly cards: VolunteerCards,
    private readonly codes: VolunteerCodes,
    private readonly limits: RateLimiter,
    private readonly points: PointsService,
    private readonly ledger: LedgerService,
    private readonly sessions: SessionsService,
  ) {}

  /**
   * Registers a volunteer in the village of an open poster and gives their
   * phone a card. A name the village has already: the same person on a new
   * phone (the same number) gets a new card, which ends the old phone's; a
   * name a lecturer wrote down before (no number yet) becomes this person's;
   * another number is someone else, who must add a mark to tell them apart.
   */
  async register(posterCode: string, body: Parsed<typeof RegisterVolunteerBody>, address: string) {
    await this.limits.admit(
      `volunteer-registration:${addressBucket(address)}`,
      REGISTRATIONS_PER_ADDRESS,
      'Too many registrations from this address',
    );
    const village = await this.posters.requireVillage(posterCode);
    const card = this.cards.issue();
    // Twice at most: a name registered by someone else meanwhile is there on the second look.
    for (let look = 0; look < 2; look++) {
      const known = await this.volunteers.findByName(village.code, body.name);
      if (known) {
        const reissued = await this.volunteers.reissue(known.id, body.phone, card.digest);
        if (!reissued)
          throw new ConflictException(
            `${body.name} is registered in this village with another phone number: add a mark that tells you apart, e.g. ${body.name}（村东）`,
          );
        return { volunteer: cardView(reissued), secret: card.secret, created: false };
      }
      const created = await this.volunteers.create({
        name: body.name,
        regionCode: village.code,
        countyCode: village.countyCode,
        phone: body.phone,
        cardHash: card.digest,
      });
      // Someone registered the same name in the same moment: look again.
      if (created) return { volunteer: cardView(created), secret: card.secret, created: true };
    }
    throw new ConflictException(`${body.name} was being registered at the same moment: try again`);
  }

  async me(caller: VolunteerPrincipal) {
    const volunteer = await this.require(caller.id);
    const subject = `volunteer:${volunteer.id}`;
    const [balance, entries] = await Promise.all([
      this.points.balanceOf({ type: 'volunteer', id: volunteer.id }),
      this.ledger.read({
        scopeCode: null,
        subject,
        kinds: ['volunteer_hours', 'points_awarded', 'points_redeemed'],
      }),
    ]);
    const history = volunteerHistory(entries).slice(0, HISTORY_LENGTH);
    const topics = await this.sessions.topicTitles(
      history.map((item) => item.sessionId).filter((id): id is string => id !== null),
    );
    return {
      id: volunteer.id,
      name: volunteer.name,
      village: volunteer.region,
      phone: volunteer.phone ? maskPhone(volunteer.phone) : null,
      points: balance.points,
      earned: balance.earned,
      history: history.map((item) => ({
        ...item,
        topicTitle: item.sessionId ? (topics.get(item.sessionId) ?? null) : null,
        occurredAt: countyIso(item.occurredAt),
      })),
    };
  }

  /** The short-lived code the redemption counter scans. */
  counterCode(caller: VolunteerPrincipal) {
    const { code, expiresAt } = this.codes.issue(caller.id);
    return { code, expiresAt: countyIso(expiresAt) };
  }

  /** This phone's card ends; registering again (same name and number) gives a new one. */
  async dropCard(caller: VolunteerPrincipal): Promise<void> {
    await this.volunteers.dropCard(caller.id);
  }

  private async require(id: string): Promise<Registered> {
    const volunteer = await this.volunteers.find(id);
    if (!volunteer) throw new NotFoundException(`volunteer ${id} not found`);
    return volunteer;
  }
}

function cardView(volunteer: Registered) {
  return {
    id: volunteer.id,
    name: volunteer.name,
    village: volunteer.region,
    phone: maskPhone(volunteer.phone ?? ''),
    registeredAt: countyIso(volunteer.registeredAt ?? volunteer.createdAt),
  };
}
