import { Card, Empty, Typography } from 'antd';
import { Link } from 'react-router';
import { FailureAlert } from '../../components/failure';
import { PageLoading } from '../../components/page-loading';
import { StatusTag } from '../../components/status-tag';
import { useMessages } from '../../i18n/i18n';
import { countyDateTime } from '../../time/county-time';
import { lecturerMessages } from './messages';
import { type Session, useMySessions } from './queries';
import { RegionName } from './RegionName';
import { SESSION_STATUS, sessionsInOrder } from './session-text';

/** 我的宣讲: the lecturer's sessions of the last two months, each opening its own page. */
export function SessionsView() {
  const t = useMessages(lecturerMessages);
  const sessions = useMySessions();
  if (sessions.isError) return <FailureAlert error={sessions.error} />;
  if (sessions.isPending) return <PageLoading />;
  if (!sessions.data.items.length) return <Empty description={t('sessionsEmpty')} />;
  return (
    <ul aria-label={t('tabSessions')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {sessionsInOrder(sessions.data.items).map((session) => (
        <li key={session.id} style={{ marginBottom: 8 }}>
          <SessionCard session={session} />
        </li>
      ))}
    </ul>
  );
}

function SessionCard({ session }: { session: Session }) {
  const t = useMessages(lecturerMessages);
  const status = SESSION_STATUS[session.status];
  return (
    <Card size="small">
      <Link to={`/lecturer/sessions/${session.id}`} style={{ display: 'block', minHeight: 44 }}>
        <Typography.Text strong style={{ fontSize: 16, color: 'inherit' }}>
          {session.topicTitle}
        </Typography.Text>
      </Link>
      <div>
        <StatusTag tone={status.tone}>{t(status.label)}</StatusTag>
        <RegionName code={session.regionCode} /> · {t('startsAt', { at: countyDateTime(session.startsAt) })}
      </div>
    </Card>
  );
}
