import { App, Button, Card, Empty, Space, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { $api } from '../../api/client';
import { FailureAlert, useFailureNotice } from '../../components/failure';
import { PageLoading } from '../../components/page-loading';
import { StatusTag, type Tone } from '../../components/status-tag';
import { useMessages, type Translate } from '../../i18n/i18n';
import { countyDateTime } from '../../time/county-time';
import { byUrgency, type Deadline, deadlineOf, OPEN_STATUSES, type Order, spanParts } from './deadlines';
import { lecturerMessages, type LecturerKey } from './messages';
import { useMyOrders, useRefreshWork } from './queries';
import { useRegionName } from './RegionName';
import { useNow } from './use-now';

const STATE: Partial<Record<Order['status'], { label: LecturerKey; tone: Tone }>> = {
  dispatched: { label: 'toAccept', tone: 'warn' },
  accepted: { label: 'toDeliver', tone: 'info' },
  escalated: { label: 'escalated', tone: 'bad' },
  delivered: { label: 'delivered', tone: 'good' },
};

/** 我的任务: the orders dispatched to the lecturer's teams, the most urgent first. */
export function TasksView() {
  const t = useMessages(lecturerMessages);
  const orders = useMyOrders();
  const now = useNow();
  if (orders.isError) return <FailureAlert error={orders.error} />;
  if (orders.isPending) return <PageLoading />;
  const open = byUrgency(
    orders.data.items.filter((order) => OPEN_STATUSES.has(order.status)),
    now,
  );
  if (!open.length) return <Empty description={t('tasksEmpty')} />;
  return (
    <ul aria-label={t('tabTasks')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {open.map((order) => (
        <li key={order.id} style={{ marginBottom: 12 }}>
          <OrderCard order={order} now={now} />
        </li>
      ))}
    </ul>
  );
}

function OrderCard({ order, now }: { order: Order; now: Date }) {
  const t = useMessages(lecturerMessages);
  const village = useRegionName(order.regionCode);
  const state = STATE[order.status];
  const deadline = deadlineOf(order, now);
  return (
    <Card size="small">
      <Space orientation="vertical" size={4} style={{ width: '100%' }}>
        <div>
          {state && <StatusTag tone={state.tone}>{t(state.label)}</StatusTag>}
          <Typography.Text strong style={{ fontSize: 16 }}>
            {order.topicTitle}
          </Typography.Text>
        </div>
        <Typography.Text>{t('teamVillage', { team: order.teamName ?? '—', village })}</Typography.Text>
        {deadline && <DeadlineLine deadline={deadline} t={t} />}
        {order.notes && <Typography.Text>{t('orderNotes', { notes: order.notes })}</Typography.Text>}
        <OrderAction order={order} />
      </Space>
    </Card>
  );
}

function DeadlineLine({ deadline, t }: { deadline: Deadline; t: Translate<LecturerKey> }) {
  const { d, h, m } = spanParts(deadline.minutes);
  const span = d ? t('spanDays', { d, h }) : h ? t('spanHours', { h, m }) : t('spanMinutes', { m });
  const at = countyDateTime(deadline.at);
  return (
    <Typography.Text style={deadline.overdue ? { color: '#a8071a', fontWeight: 600 } : undefined}>
      {t(deadline.kind === 'accept' ? 'acceptBy' : 'deliverBy', { at })}（
      {t(deadline.overdue ? 'overdue' : 'left', { span })}）
    </Typography.Text>
  );
}

/** What the lecturer does next with the order: accept it, register its session, or open the session. */
function OrderAction({ order }: { order: Order }) {
  const t = useMessages(lecturerMessages);
  const navigate = useNavigate();
  const { message } = App.useApp();
  const notify = useFailureNotice();
  const refresh = useRefreshWork();
  const accept = $api.useMutation('post', '/api/v1/orders/{id}/accept');
  const big = { height: 44, minWidth: 120 };

  if (order.sessionId)
    return (
      <Button style={big} onClick={() => void navigate(`/lecturer/sessions/${order.sessionId}`)}>
        {t('openSession')}
      </Button>
    );
  if (order.status === 'dispatched')
    return (
      <Button
        type="primary"
        style={big}
        loading={accept.isPending}
        aria-label={t('acceptOrder', { topic: order.topicTitle })}
        onClick={() =>
          accept
            .mutateAsync({ params: { path: { id: order.id } } })
            .then(
              () => void message.success(t('accepted')),
              (error: unknown) => notify(error),
            )
            .finally(() => void refresh())
        }
      >
        {t('accept')}
      </Button>
    );
  if (order.status === 'accepted')
    return (
      <Button
        type="primary"
        style={big}
        aria-label={t('registerForOrderNamed', { topic: order.topicTitle })}
        onClick={() => void navigate(`/lecturer/register?order=${order.id}`)}
      >
        {t('registerForOrder')}
      </Button>
    );
  return null;
}
