import { Button, Empty, Flex, List, Segmented, Space, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { $api } from '../../api/client';
import { FailureAlert } from '../../components/failure';
import { Muted } from '../../components/muted';
import { StatusTag } from '../../components/status-tag';
import { useMessages } from '../../i18n/i18n';
import { countyDateTime } from '../../time/county-time';
import { messages } from './messages';
import { kindKey, type NotificationItem, POLL_MS } from './notification-text';

export const NOTIFICATIONS_PATH = '/api/v1/notifications';

/** The signed-in user's notifications, newest first, refreshed every few seconds; marking read is theirs alone. */
export function Inbox() {
  const t = useMessages(messages);
  const queries = useQueryClient();
  const [filter, setFilter] = useState<'all' | 'unread'>('all');
  const list = $api.useQuery(
    'get',
    NOTIFICATIONS_PATH,
    { params: { query: { unread: filter === 'unread' ? 'true' : 'false', limit: 100 } } },
    { refetchInterval: POLL_MS },
  );
  const mark = $api.useMutation('post', '/api/v1/notifications/read', {
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['get', NOTIFICATIONS_PATH] }),
  });
  const items = list.data?.items ?? [];
  return (
    <Flex vertical gap={8}>
      <FailureAlert error={list.error ?? mark.error} />
      <Flex wrap gap={8} justify="space-between">
        <Segmented<'all' | 'unread'>
          aria-label={t('unreadOnly')}
          value={filter}
          onChange={setFilter}
          options={[
            { value: 'all', label: t('all') },
            { value: 'unread', label: `${t('unread')} ${list.data?.unread ?? ''}` },
          ]}
        />
        <Button disabled={!list.data?.unread} onClick={() => mark.mutate({ body: { all: true } })}>
          {t('markAllRead')}
        </Button>
      </Flex>
      <List<NotificationItem>
        loading={list.isPending}
        dataSource={items}
        locale={{ emptyText: <Empty description={t('noNotifications')} /> }}
        renderItem={(item) => (
          <List.Item
            actions={[
              item.link && (
                <Link key="open" to={item.link}>
                  {t('open')}
                </Link>
              ),
              !item.readAt && (
                <Button key="read" size="small" onClick={() => mark.mutate({ body: { ids: [item.id] } })}>
                  {t('markRead')}
                </Button>
              ),
            ].filter(Boolean)}
          >
            <Flex vertical gap={2} style={{ minWidth: 0 }}>
              <Space wrap size={4}>
                {!item.readAt && <StatusTag tone="info">{t('unread')}</StatusTag>}
                <StatusTag tone="idle">{t(kindKey(item.kind))}</StatusTag>
                <Typography.Text strong={!item.readAt}>{item.title}</Typography.Text>
              </Space>
              <Typography.Text style={{ overflowWrap: 'anywhere' }}>{item.body}</Typography.Text>
              <Muted>
                {item.regionName} · {countyDateTime(item.createdAt)}
              </Muted>
            </Flex>
          </List.Item>
        )}
      />
    </Flex>
  );
}
