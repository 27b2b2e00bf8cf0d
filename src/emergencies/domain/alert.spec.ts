import { type ApproverAccount, refusalToApprove } from './alert';

const drafter = 'd0000000-0000-4000-8000-000000000000';
const admin = 'a0000000-0000-4000-8000-000000000000';
const now = new Date('2026-12-02T08:00:00Z');
const draft = { status: 'draft' as const, draftedById: drafter, expiresAt: new Date('2026-12-02T12:00:00Z') };
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3600_000);
const approver = (account: Partial<ApproverAccount>): ApproverAccount => ({
  id: 'b0000000-0000-4000-8000-000000000000',
  passwordKnownBy: [],
  accessChangedById: admin,
  accessChangedAt: hoursAgo(100),
  ...account,
});

describe('refusalToApprove', () => {
  it('takes an approver whose account someone else set up', () => {
    expect(
      refusalToApprove(draft, approver({ passwordKnownBy: [admin], accessChangedAt: hoursAgo(1) }), now, []),
    ).toBeNull();
  });

  it('refuses the drafter, and an account whose password the drafter set, or set for the admin who set it, however long ago', () => {
    expect(refusalToApprove(draft, approver({ id: drafter }), now, [])).toMatch(
      /drafter of an alert may not approve it/,
    );
    expect(refusalToApprove(draft, approver({ passwordKnownBy: [drafter] }), now, [])).toMatch(
      /set your account's password/,
    );
    expect(refusalToApprove(draft, approver({ passwordKnownBy: [admin, drafter] }), now, [])).toMatch(
      /set your account's password/,
    );
  });

  it('refuses an approver who set the password of the drafter, or of the admin who set it', () => {
    const approving = approver({});
    expect(refusalToApprove(draft, approving, now, [approving.id])).toMatch(
      /you set the password of this alert's drafter/,
    );
    expect(refusalToApprove(draft, approving, now, [admin, approving.id])).toMatch(/you set the password/);
    expect(refusalToApprove(draft, approving, now, [admin])).toBeNull();
  });

  it('refuses an account the drafter gave its access for a day, and takes it after', () => {
    expect(
      refusalToApprove(draft, approver({ accessChangedById: drafter, accessChangedAt: hoursAgo(23.9) }), now, []),
    ).toMatch(/within the last 24 hours/);
    expect(
      refusalToApprove(draft, approver({ accessChangedById: drafter, accessChangedAt: hoursAgo(24) }), now, []),
    ).toBeNull();
  });
});
