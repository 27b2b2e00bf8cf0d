import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../infra/database/prisma.service';

export type AuditedEntity = 'emergency' | 'user' | 'live-session' | 'endpoint-command';

export interface AuditRecord {
  entity: AuditedEntity;
  entityId: string;
  action: string;
  /** Null when the service acted on its own (an activation at the start time, an expiry). */
  actorId: string | null;
  details?: Prisma.InputJsonObject;
}

/** Who did what to what, and when. Written in the same transaction as the change it records. */
@Injectable()
export class AuditService {
  constructor(private readonly prisma: PrismaService) {}

  async record(tx: Prisma.TransactionClient, entry: AuditRecord): Promise<void> {
    await tx.auditEntry.create({ data: { ...entry, details: entry.details ?? {} } });
  }

  async list(entity: AuditedEntity, entityId: string) {
    const rows = await this.prisma.auditEntry.findMany({
      where: { entity, entityId },
      orderBy: { at: 'asc' },
      include: { actor: { select: { id: true, username: true, role: true } } },
    });
    return rows.map((row) => ({
      id: row.id,
      entity: row.entity,
      entityId: row.entityId,
      action: row.action,
      at: row.at.toISOString(),
      actor: row.actor ? { id: row.actor.id, username: row.actor.username, role: row.actor.role } : null,
      details: row.details,
    }));
  }
}
