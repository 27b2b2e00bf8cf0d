import { Button, Card, Flex, Typography } from 'antd';
import { Muted } from '../../components/muted';
import { StatusTag, type Tone } from '../../components/status-tag';
import { useMessages, type Translate } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { countyDateTime } from '../../time/county-time';
import { deadlineOf, missedDeadline, SOON_MS, span, type Order } from './board';
import { messages, type MessageKey } from './messages';

const OVERDUE_BORDER = '#a8071a';

export function spanText(t: Translate<MessageKey>, ms: number): string {
  const { d, h, m } = span(ms);
  return d ? t('days', { d, h }) : h ? t('hours', { h, m }) : t('minutes', { m });
}

/** The deadline the order is racing, in county time, with what is left (or how late it is). */
function Countdown({ order, now }: { order: Order; now: Date }) {
  const t = useMessages(messages);
  const deadline = deadlineOf(order, now);
  if (!deadline) return null;
  const overdue = deadline.leftMs <= 0;
  const tone: Tone = overdue ? 'bad' : deadline.leftMs < SOON_MS ? 'warn' : 'info';
  return (
    <Flex wrap gap={4} align="center">
      <Muted>{t(deadline.kind === 'accept' ? 'acceptBy' : 'deliverBy', { at: countyDateTime(deadline.at) })}</Muted>
      <StatusTag tone={tone}>{t(overdue ? 'overdue' : 'left', { time: spanText(t, deadline.leftMs) })}</StatusTag>
    </Flex>
  );
}

/** Why the order came back to the dispatcher: the deadline it missed, in words. */
function EscalationReason({ reason }: { reason: string | null }) {
  const t = useMessages(messages);
  const missed = missedDeadline(reason);
  const text = missed
    ? t(missed === 'accept' ? 'missedAccept' : 'missedDeliver')
    : t('escalated', { reason: reason ?? '—' });
  return <Typography.Text type="danger">{text}</Typography.Text>;
}

/** One order on the board: what, where, from whom, with whom, and its clock. */
export function OrderCard({ order, now, onDispatch }: { order: Order; now: Date; onDispatch: (order: Order) => void }) {
  const t = useMessages(messages);
  const { can } = useSession();
  const deadline = deadlineOf(order, now);
  const overdue = !!deadline && deadline.leftMs <= 0;
  // Masked by the server (138****5678), and kept only until the order is rated or cancelled.
  const phone = order.contactPhone;
  const dispatchable = can('orders.dispatch') && (order.status === 'ordered' || order.status === 'escalated');
  return (
    <Card
      size="small"
      role="article"
      aria-label={`${order.topicTitle} · ${order.villageName}`}
      style={overdue || order.status === 'escalated' ? { borderColor: OVERDUE_BORDER, borderWidth: 2 } : undefined}
    >
      <Flex vertical gap={4} style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
        <Typography.Text strong>{order.topicTitle}</Typography.Text>
        <span>{order.villageName}</span>
        <Flex wrap gap={4}>
          <StatusTag tone={order.source === 'villager' ? 'good' : 'idle'}>
            {t(order.source === 'villager' ? 'sourceVillager' : 'sourceOperator')}
          </StatusTag>
          {order.orderedFor && <Muted>{t('orderedFor', { name: order.orderedFor })}</Muted>}
        </Flex>
        <Muted>{t('orderedAt', { at: countyDateTime(order.orderedAt) })}</Muted>
        {phone && <Muted>{t('contact', { phone })}</Muted>}
        {order.notes && <Muted>{t('notes', { notes: order.notes })}</Muted>}
        {order.teamName && <span>{t('team', { team: order.teamName })}</span>}
        <Countdown order={order} now={now} />
        {order.deliveredAt && <Muted>{t('deliveredAt', { at: countyDateTime(order.deliveredAt) })}</Muted>}
        {order.rating && (
          <StatusTag tone={order.rating === 'unsatisfied' ? 'bad' : 'good'}>{t(`rating_${order.rating}`)}</StatusTag>
        )}
        {order.status === 'escalated' && <EscalationReason reason={order.escalationReason} />}
        {dispatchable && (
          <Button type="primary" size="small" style={{ alignSelf: 'flex-start' }} onClick={() => onDispatch(order)}>
            {t(order.status === 'escalated' ? 'redispatch' : 'dispatch')}
          </Button>
        )}
      </Flex>
    </Card>
  );
}
