import { Card, Timeline, Typography } from 'antd';
import { FailureAlert } from '../../components/failure';
import { common } from '../../i18n/common';
import { useMessages } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { countyDateTime } from '../../time/county-time';
import type { Alert } from './approval';
import { auditAction } from './labels';
import { messages } from './messages';
import { useAuditTrail } from './queries';

const ROLE_KEY = {
  admin: 'roleAdmin',
  operator: 'roleOperator',
  approver: 'roleApprover',
  lecturer: 'roleLecturer',
} as const;

/** Who did what to the alert and when (county time), oldest first: drafted, approved, went on air, ended. */
export function AuditTrail({ alert }: { alert: Alert }) {
  const t = useMessages(messages);
  const tc = useMessages(common);
  const { can } = useSession();
  const allowed = can('audit.read');
  const trail = useAuditTrail(alert, allowed);
  if (!allowed) return null;
  const who = (actor: { username: string; role: string } | null) =>
    actor
      ? `${actor.username}（${actor.role in ROLE_KEY ? tc(ROLE_KEY[actor.role as keyof typeof ROLE_KEY]) : actor.role}）`
      : t('byService');
  return (
    <Card title={t('audit')} size="small" loading={trail.isPending}>
      <FailureAlert error={trail.error} />
      <Timeline
        items={(trail.data?.entries ?? []).map((entry) => ({
          key: entry.id,
          content: (
            <Typography.Text>
              {countyDateTime(entry.at)} {auditAction(t, entry.action)} · {who(entry.actor)}
            </Typography.Text>
          ),
        }))}
      />
    </Card>
  );
}
