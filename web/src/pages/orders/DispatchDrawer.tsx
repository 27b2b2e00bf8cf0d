import { App, Button, Drawer, Flex, Grid, List, Typography } from 'antd';
import { $api } from '../../api/client';
import type { components } from '../../api/schema.gen';
import { FailureAlert } from '../../components/failure';
import { Muted } from '../../components/muted';
import { StatusTag, type Tone } from '../../components/status-tag';
import { useMessages, type Translate } from '../../i18n/i18n';
import type { Order } from './board';
import { messages, type MessageKey } from './messages';
import { useRefreshOrders, useSuggestions } from './queries';

type Suggestion = components['schemas']['TeamSuggestionList']['items'][number];
type Reason = Suggestion['reasons'][number];

const TONE: Record<Reason, Tone> = {
  same_village: 'good',
  same_township: 'info',
  same_county: 'idle',
  same_topic: 'good',
  same_category: 'info',
  new_to_field: 'idle',
  no_open_orders: 'good',
  open_orders: 'warn',
};

function reasonText(t: Translate<MessageKey>, reason: Reason, s: Suggestion): string {
  const n =
    reason === 'same_topic' ? s.sameTopicSessions : reason === 'same_category' ? s.sameCategorySessions : s.openOrders;
  return t(`reason_${reason}`, { n });
}

function SuggestionItem({ order, suggestion, onDone }: { order: Order; suggestion: Suggestion; onDone: () => void }) {
  const t = useMessages(messages);
  const { message } = App.useApp();
  const refresh = useRefreshOrders();
  const dispatch = $api.useMutation('post', '/api/v1/orders/{id}/dispatch');
  const send = () =>
    dispatch.mutate(
      { params: { path: { id: order.id } }, body: { teamId: suggestion.teamId } },
      {
        onSuccess: () => {
          void message.success(t('dispatched', { team: suggestion.name }));
          void refresh();
          onDone();
        },
      },
    );
  return (
    <List.Item>
      <Flex vertical gap={6} style={{ width: '100%', minWidth: 0, overflowWrap: 'anywhere' }}>
        <Flex wrap gap={8} align="center">
          <StatusTag tone={suggestion.rank === 1 ? 'good' : 'idle'}>{t('rank', { n: suggestion.rank })}</StatusTag>
          <Typography.Text strong>{suggestion.name}</Typography.Text>
        </Flex>
        <Flex wrap gap={4}>
          {suggestion.reasons.map((reason) => (
            <StatusTag key={reason} tone={TONE[reason]}>
              {reasonText(t, reason, suggestion)}
            </StatusTag>
          ))}
        </Flex>
        {suggestion.members.length > 0 && (
          <Muted>
            {t('members', {
              names: suggestion.members.map((m) => (m.title ? `${m.name}（${m.title}）` : m.name)).join('、'),
            })}
          </Muted>
        )}
        <Button
          type={suggestion.rank === 1 ? 'primary' : 'default'}
          style={{ alignSelf: 'flex-start' }}
          loading={dispatch.isPending}
          onClick={send}
        >
          {t('dispatchTo', { team: suggestion.name })}
        </Button>
        <FailureAlert error={dispatch.error} />
      </Flex>
    </List.Item>
  );
}

function Suggestions({ order, onDone }: { order: Order; onDone: () => void }) {
  const t = useMessages(messages);
  const suggestions = useSuggestions(order.id);
  if (suggestions.error) return <FailureAlert error={suggestions.error} />;
  return (
    <Flex vertical gap={8}>
      <Muted>{t('suggestionsIntro')}</Muted>
      <List
        loading={suggestions.isPending}
        dataSource={suggestions.data?.items ?? []}
        rowKey="teamId"
        locale={{ emptyText: t('noTeams') }}
        renderItem={(suggestion) => <SuggestionItem order={order} suggestion={suggestion} onDone={onDone} />}
      />
    </Flex>
  );
}

/** The dispatch drawer: the suggested teams with their reasons; the operator picks one. */
export function DispatchDrawer({ order, onClose }: { order: Order | null; onClose: () => void }) {
  const t = useMessages(messages);
  const phone = !Grid.useBreakpoint().md;
  return (
    <Drawer
      open={!!order}
      onClose={onClose}
      size={phone ? '100%' : 520}
      title={order ? t('dispatchTitle', { topic: order.topicTitle, village: order.villageName }) : ''}
      closable={{ 'aria-label': t('close') }}
      destroyOnHidden
    >
      {order && <Suggestions order={order} onDone={onClose} />}
    </Drawer>
  );
}
