import { LEVEL_NAMES, type AlertLevel } from './domain/alert';
import type { EmergencyView } from './emergencies.dto';
import type { AlertRow } from './emergencies.repository';

/** An alert as the API shows it. */
export function toView(row: AlertRow): EmergencyView {
  return {
    id: row.id,
    title: row.title,
    level: row.level,
    levelName: LEVEL_NAMES[row.level as AlertLevel],
    category: row.category,
    status: row.status,
    drill: row.drill,
    regionCodes: row.regionCodes,
    scopeCode: row.scopeCode,
    mediaId: row.mediaId,
    text: row.text,
    repeat: row.repeat,
    startsAt: row.startsAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    draftedById: row.draftedById,
    approvedById: row.approvedById,
    approvedAt: row.approvedAt?.toISOString() ?? null,
    activatedAt: row.activatedAt?.toISOString() ?? null,
    endedAt: row.endedAt?.toISOString() ?? null,
    supersedesId: row.supersedesId,
    capIdentifier: row.capIdentifier,
    ebm: row.ebdMessages[0] ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
