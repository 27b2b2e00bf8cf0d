import { Injectable } from '@nestjs/common';
import type { VolunteerPrincipal } from '../auth/access.decorator';
import { PrismaService } from '../infra/database/prisma.service';
import { unlessDuplicate } from '../infra/database/unique-violation';

const WITH_VILLAGE = { region: { select: { code: true, name: true } } } as const;

/** Volunteers and their cards; only a card's digest is ever stored. */
@Injectable()
export class VolunteersRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The volunteer holding the live card with this digest. */
  async byCard(cardHash: string): Promise<VolunteerPrincipal | null> {
    const row = await this.prisma.volunteer.findUnique({
      where: { cardHash },
      select: { id: true, name: true, regionCode: true, countyCode: true },
    });
    return row && { type: 'volunteer', ...row };
  }

  find(id: string) {
    return this.prisma.volunteer.findUnique({ where: { id }, include: WITH_VILLAGE });
  }

  findByName(regionCode: string, name: string) {
    return this.prisma.volunteer.findUnique({ where: { regionCode_name: { regionCode, name } } });
  }

  /** A new volunteer with their first card; null when the name was taken in the village meanwhile. */
  create(volunteer: { name: string; regionCode: string; countyCode: string; phone: string; cardHash: string }) {
    return unlessDuplicate(
      this.prisma.volunteer.create({ data: { ...volunteer, registeredAt: new Date() }, include: WITH_VILLAGE }),
    );
  }

  /**
   * A new card for the volunteer, replacing any other phone's, if their
   * stored phone is still `phone` (or none, for one a lecturer named before
   * they registered); null when it is not.
   */
  async reissue(id: string, phone: string, cardHash: string) {
    const { count } = await this.prisma.volunteer.updateMany({
      where: { id, OR: [{ phone }, { phone: null }] },
      data: { phone, cardHash },
    });
    if (count === 0) return null;
    // Registered once: the first registration's moment stays.
    await this.prisma.volunteer.updateMany({ where: { id, registeredAt: null }, data: { registeredAt: new Date() } });
    return this.find(id);
  }

  async dropCard(id: string): Promise<void> {
    await this.prisma.volunteer.update({ where: { id }, data: { cardHash: null } });
  }
}
