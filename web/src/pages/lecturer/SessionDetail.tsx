import { Alert, App, Button, Card, Grid, List, Popconfirm, Space, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { $api } from '../../api/client';
import { FailureAlert, useFailureNotice } from '../../components/failure';
import { Muted } from '../../components/muted';
import { PageLoading } from '../../components/page-loading';
import { SectionCard } from '../../components/section-card';
import { StatusTag } from '../../components/status-tag';
import { useMessages } from '../../i18n/i18n';
import { countyClock, countyDateTime } from '../../time/county-time';
import { CompleteForm } from './CompleteForm';
import { useRatingLink, useSessionCheckin } from './links';
import { LinkQr } from './LinkQr';
import { lecturerMessages } from './messages';
import { type Session, useRefreshWork } from './queries';
import { useRegionName } from './RegionName';
import { SESSION_STATUS } from './session-text';

/** Big enough to scan from a phone held up at arm's length, and still inside a 390 px screen. */
function useQrSize(): number {
  return Grid.useBreakpoint().md ? 360 : 300;
}

/**
 * /lecturer/sessions/:id, on the lecturer's phone at the session: the
 * volunteers' sign-in code and who is in, completing it, and then the code
 * the villager rates the order with.
 */
export function SessionDetail() {
  const t = useMessages(lecturerMessages);
  const { id = '' } = useParams();
  const session = $api.useQuery('get', '/api/v1/lecture-sessions/{id}', { params: { path: { id } } });
  const village = useRegionName(session.data?.regionCode);
  if (session.isError) return <FailureAlert error={session.error} />;
  if (session.isPending) return <PageLoading />;
  const current = session.data;
  const status = SESSION_STATUS[current.status];
  const onsite = current.mode !== 'on_air';

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/lecturer/sessions">{t('back')}</Link>
      <Card>
        <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }}>
          {current.topicTitle}
        </Typography.Title>
        <div>
          <StatusTag tone={status.tone}>{t(status.label)}</StatusTag>
          {village} · {t('startsAt', { at: countyDateTime(current.startsAt) })}
        </div>
        {current.airDate && <Typography.Paragraph>{t('airs', { date: current.airDate })}</Typography.Paragraph>}
        {!onsite && current.status === 'planned' && <Alert type="info" title={t('onAirNote')} />}
      </Card>
      {onsite && current.status !== 'cancelled' && <CheckinCard session={current} />}
      {onsite && current.status === 'planned' && <CompleteForm session={current} />}
      {current.status === 'completed' && current.orderId && <RatingCard orderId={current.orderId} />}
      {current.status === 'planned' && <CancelButton session={current} />}
    </Space>
  );
}

function CheckinCard({ session }: { session: Session }) {
  const t = useMessages(lecturerMessages);
  const size = useQrSize();
  const live = session.status === 'planned';
  const checkin = useSessionCheckin(session.id, live);
  const people = checkin.data?.attendance ?? [];
  return (
    <SectionCard title={t('checkinTitle')}>
      {live && checkin.data && (
        <>
          <Typography.Paragraph>{t('checkinHint')}</Typography.Paragraph>
          <LinkQr path={checkin.data.url} size={size} />
        </>
      )}
      {checkin.isError && <Alert type="warning" showIcon title={t('checkinUnavailable')} />}
      <Typography.Title level={3} style={{ fontSize: 16 }} aria-live="polite">
        {t('attendanceTitle', { n: people.length })}
      </Typography.Title>
      <List
        size="small"
        aria-label={t('attendanceTitle', { n: people.length })}
        dataSource={people}
        locale={{ emptyText: <Muted>{t('attendanceEmpty')}</Muted> }}
        renderItem={(person) => (
          <List.Item>
            <Typography.Text strong>{person.name}</Typography.Text>
            <span>
              {t('signedIn', { at: countyClock(person.signedInAt) })} ·{' '}
              {person.signedOutAt ? t('signedOut', { at: countyClock(person.signedOutAt) }) : t('stillIn')}
            </span>
          </List.Item>
        )}
      />
    </SectionCard>
  );
}

function RatingCard({ orderId }: { orderId: string }) {
  const t = useMessages(lecturerMessages);
  const size = useQrSize();
  const order = $api.useQuery('get', '/api/v1/orders/{id}', { params: { path: { id: orderId } } });
  const waiting = order.data?.status === 'delivered';
  const link = useRatingLink(orderId, waiting);
  if (!order.data) return null;
  return (
    <SectionCard title={t('ratingTitle')}>
      {waiting ? (
        <>
          <Typography.Paragraph>{t('ratingHint')}</Typography.Paragraph>
          {link.data && <LinkQr path={link.data.url} size={size} />}
          {link.isError && <Alert type="warning" showIcon title={t('ratingUnavailable')} />}
        </>
      ) : (
        order.data.status === 'rated' && <Alert type="success" showIcon title={t('rated')} />
      )}
    </SectionCard>
  );
}

function CancelButton({ session }: { session: Session }) {
  const t = useMessages(lecturerMessages);
  const { message } = App.useApp();
  const notify = useFailureNotice();
  const refresh = useRefreshWork();
  const cancel = $api.useMutation('post', '/api/v1/lecture-sessions/{id}/cancel');
  return (
    <Popconfirm
      title={t('cancelConfirm')}
      onConfirm={() =>
        cancel
          .mutateAsync({ params: { path: { id: session.id } } })
          .then(() => void message.success(t('cancelled')), notify)
          .finally(() => void refresh())
      }
    >
      <Button danger block style={{ height: 44 }} loading={cancel.isPending}>
        {t('cancelSession')}
      </Button>
    </Popconfirm>
  );
}
