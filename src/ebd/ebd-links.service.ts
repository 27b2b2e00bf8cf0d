import { randomBytes } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import type { EbdLink } from '../generated/prisma/client';
import type { UserPrincipal } from '../auth/access.decorator';
import { PrismaService } from '../infra/database/prisma.service';
import { badRequest } from '../infra/http/error-body';
import type { Parsed } from '../infra/http/validation';
import { platformEbrid } from '../kernel/ebrid';
import { RegionsRepository, withinScope } from '../regions/regions.repository';
import { PasswordHasher } from '../users/password-hasher';
import { linkStatus } from './domain/link-status';
import { normalisePublicKey } from './domain/sm2';
import { EbdLinkView, SaveLinkBody } from './ebd.dto';
import { Signers } from './signers';

/** Each county's docking: saved by an admin of the county, read by its operators and approvers. */
@Injectable()
export class EbdLinksService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly regions: RegionsRepository,
    private readonly hasher: PasswordHasher,
    private readonly signers: Signers,
  ) {}

  async save(actor: UserPrincipal, countyCode: string, body: Parsed<typeof SaveLinkBody>): Promise<EbdLinkView> {
    const county = await this.regions.find(countyCode);
    if (!county) throw new NotFoundException(`region ${countyCode} not found`);
    if (county.level !== 'county')
      throw badRequest(`${countyCode} is a ${county.level}: a platform docks for a county`, [
        { path: 'params.countyCode', message: 'must be a county' },
      ]);
    const upperPublicKey = normalisePublicKey(body.upperPublicKey);
    if (!upperPublicKey)
      throw badRequest('upperPublicKey is not an SM2 public key (04‖x‖y, 130 hex digits)', [
        { path: 'body.upperPublicKey', message: 'must be a point of the SM2 curve' },
      ]);
    const ebrid = platformEbrid(countyCode, body.platformType);
    if (body.upperEbrid === ebrid)
      throw badRequest('upperEbrid is this platform itself', [
        { path: 'body.upperEbrid', message: 'must be the platform above' },
      ]);
    const values = {
      ...body,
      upperPublicKey,
      ebrid,
      name: body.name ?? `${county.name}应急广播平台`,
      updatedById: actor.id,
    };
    const existing = await this.prisma.ebdLink.findUnique({ where: { countyCode } });
    if (existing) await this.prisma.ebdLink.update({ where: { countyCode }, data: values });
    else {
      // Alerts from above are drafted by an account of their own, which no one can sign in as.
      const passwordHash = await this.hasher.hash(randomBytes(32).toString('base64url'));
      await this.prisma.$transaction(async (tx) => {
        const account = await tx.user.upsert({
          where: { username: `ebd-upper-${countyCode}` },
          update: {},
          create: {
            username: `ebd-upper-${countyCode}`,
            displayName: `上级应急广播平台（${county.name}）`,
            passwordHash,
            role: 'operator',
            scopeCode: countyCode,
            disabledAt: new Date(),
          },
        });
        await tx.ebdLink.create({ data: { countyCode, ...values, accountId: account.id } });
      });
    }
    return this.get(countyCode);
  }

  async get(countyCode: string): Promise<EbdLinkView> {
    const link = await this.prisma.ebdLink.findUnique({
      where: { countyCode },
      include: { county: { select: { name: true } } },
    });
    if (!link) throw new NotFoundException(`county ${countyCode} has no upper platform link`);
    return this.view(link);
  }

  async list(actor: UserPrincipal): Promise<{ items: EbdLinkView[] }> {
    const links = await this.prisma.ebdLink.findMany({
      where: { county: withinScope(actor.scopeCode) },
      include: { county: { select: { name: true } } },
      orderBy: { countyCode: 'asc' },
    });
    return { items: await Promise.all(links.map((link) => this.view(link))) };
  }

  private async view(link: EbdLink & { county: { name: string } }): Promise<EbdLinkView> {
    const signer = await this.signers.forLink(link).then(
      (found) => ({ publicKey: found.publicKey, signerError: null }),
      (error: Error) => ({ publicKey: null, signerError: error.message }),
    );
    const iso = (at: Date | null) => at?.toISOString() ?? null;
    return {
      countyCode: link.countyCode,
      countyName: link.county.name,
      ebrid: link.ebrid,
      platformType: link.platformType as EbdLinkView['platformType'],
      upperEbrid: link.upperEbrid,
      upperUrl: link.upperUrl,
      receiveUrl: link.receiveUrl,
      upperPublicKey: link.upperPublicKey,
      signer: link.signer,
      ...signer,
      certSn: link.certSn,
      signatureLayout: link.signatureLayout,
      autoAir: link.autoAir,
      reportLocalAlerts: link.reportLocalAlerts,
      heartbeatSeconds: link.heartbeatSeconds,
      platformInfoSeconds: link.platformInfoSeconds,
      platformStateSeconds: link.platformStateSeconds,
      terminalInfoSeconds: link.terminalInfoSeconds,
      terminalStateSeconds: link.terminalStateSeconds,
      name: link.name,
      address: link.address,
      contact: link.contact,
      phone: link.phone,
      longitude: link.longitude,
      latitude: link.latitude,
      enabled: link.enabled,
      status: linkStatus(link, new Date()),
      linkCheckedAt: iso(link.linkCheckedAt),
      linkUpAt: iso(link.linkUpAt),
      linkError: link.linkError,
      updatedAt: link.updatedAt.toISOString(),
    };
  }
}
