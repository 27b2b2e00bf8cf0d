import type { Notice } from '../notifications/notices';
import { LEVEL_NAMES_ZH, type AlertLevel } from './domain/alert';

/** What approvers in the alert's region are told of a draft waiting for them. */
export function awaitingApproval(
  alert: { id: string; title: string; level: number; drill: boolean; scopeCode: string },
  drafter: string,
): Notice {
  return {
    kind: 'alert_awaiting_approval',
    regionCode: alert.scopeCode,
    dedupKey: `alert-awaiting-approval:${alert.id}`,
    title: `${alert.drill ? '【演练】' : ''}预警待审批：${alert.title}`,
    body: `${LEVEL_NAMES_ZH[alert.level as AlertLevel]}，${drafter} 起草，审批后播出。`,
    link: `/emergencies?id=${alert.id}`,
    details: { emergencyId: alert.id, level: alert.level, drill: alert.drill },
  };
}
