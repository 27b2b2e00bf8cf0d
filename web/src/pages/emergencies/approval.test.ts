import { approval, cancellable, isLive } from './approval';

const NOW = new Date('2026-12-03T09:00:00Z');
const DRAFTER = 'a0000000-0000-4000-8000-000000000001';
const APPROVER = 'a0000000-0000-4000-8000-000000000002';
const draft = { status: 'draft' as const, draftedById: DRAFTER, expiresAt: '2026-12-03T11:00:00Z' };
const approver = { id: APPROVER, canApprove: true };

describe('who may approve an alert, as the page offers it', () => {
  it('offers a usable Approve to another approver once the audio is ready', () => {
    expect(approval(draft, approver, 'ready', NOW)).toEqual({ offer: true, usable: true });
  });

  it('shows the drafter a disabled Approve and says why, even when they hold the permission', () => {
    expect(approval(draft, { id: DRAFTER, canApprove: true }, 'ready', NOW)).toEqual({
      offer: true,
      usable: false,
      because: 'ownDraft',
    });
  });

  it('offers nothing to a user without the permission, or on an alert that is not a draft', () => {
    expect(approval(draft, { id: APPROVER, canApprove: false }, 'ready', NOW)).toEqual({ offer: false });
    for (const status of ['approved', 'active', 'ended', 'cancelled', 'superseded'] as const)
      expect(approval({ ...draft, status }, approver, 'ready', NOW)).toEqual({ offer: false });
  });

  it('waits for the speech, refuses failed audio and an expired draft', () => {
    expect(approval(draft, approver, 'processing', NOW)).toMatchObject({ usable: false, because: 'audioPreparing' });
    expect(approval(draft, approver, undefined, NOW)).toMatchObject({ usable: false, because: 'audioPreparing' });
    expect(approval(draft, approver, 'failed', NOW)).toMatchObject({ usable: false, because: 'audioFailed' });
    expect(approval({ ...draft, expiresAt: NOW.toISOString() }, approver, 'ready', NOW)).toMatchObject({
      usable: false,
      because: 'expired',
    });
  });

  it('lets a draft or a live alert be cancelled, and polls only while devices are being told', () => {
    expect(
      ['draft', 'approved', 'active', 'ended', 'cancelled', 'superseded'].map((s) => cancellable(s as never)),
    ).toEqual([true, true, true, false, false, false]);
    expect(['draft', 'approved', 'active', 'ended', undefined].map(isLive)).toEqual([false, true, true, false, false]);
  });
});
