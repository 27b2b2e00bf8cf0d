import type { components } from '../../api/schema.gen';

export type Alert = components['schemas']['Emergency'];
export type AlertStatus = Alert['status'];
type MediaStatus = components['schemas']['Media']['status'];

/**
 * Why the Approve button is not usable, said to the person looking at it. The
 * server decides (it also refuses approvers whose password the drafter set, and
 * the like); the page only avoids offering what it knows will be refused.
 */
export type ApprovalBlock = 'ownDraft' | 'expired' | 'audioPreparing' | 'audioFailed';

export type Approval =
  { offer: false } | { offer: true; usable: true } | { offer: true; usable: false; because: ApprovalBlock };

export function approval(
  alert: Pick<Alert, 'status' | 'draftedById' | 'expiresAt'>,
  user: { id: string; canApprove: boolean },
  audio: MediaStatus | undefined,
  now: Date,
): Approval {
  // Only approvers see the button, and only on drafts: anything else has been decided.
  if (!user.canApprove || alert.status !== 'draft') return { offer: false };
  const blocked = (because: ApprovalBlock): Approval => ({ offer: true, usable: false, because });
  // Two people, always: the drafter sees why they cannot, rather than a button the server would refuse.
  if (alert.draftedById === user.id) return blocked('ownDraft');
  if (new Date(alert.expiresAt) <= now) return blocked('expired');
  if (audio === 'failed') return blocked('audioFailed');
  if (audio !== 'ready') return blocked('audioPreparing');
  return { offer: true, usable: true };
}

/** A draft is withdrawn, a live alert ended: until it is over, who may cancel may. */
export const cancellable = (status: AlertStatus): boolean => ['draft', 'approved', 'active'].includes(status);

/** Approved or on the air: devices are being told and receipts are arriving. */
export const isLive = (status: string | undefined): boolean => status === 'approved' || status === 'active';
