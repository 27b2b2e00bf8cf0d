import { List, Popconfirm, Space, Typography, Button, Flex, App } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { $api } from '../../api/client';
import { FailureAlert, useFailureNotice } from '../../components/failure';
import { Muted } from '../../components/muted';
import { useRegionNames } from '../../components/regions/regions';
import { useLocale, useMessages } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { countyDateTime, duration } from '../../time/county-time';
import type { LiveSession } from './live-api';
import { endReasonText, isOpen, liveFirst, mayEnd } from './live-logic';
import { LiveStatusTag, PriorityTag } from './live-tags';
import { liveMessages } from './messages';
import { useLiveSessions } from './queries';
import { Recording } from './Recording';

/** After a session is ended here, every list of sessions shows it at once. */
export function useRefreshSessions(): () => Promise<void> {
  const queries = useQueryClient();
  return useCallback(
    () =>
      queries.invalidateQueries({
        predicate: ({ queryKey }) => String(queryKey[1]).startsWith('/api/v1/live-sessions'),
      }),
    [queries],
  );
}

function EndButton({ session }: { session: LiveSession }) {
  const t = useMessages(liveMessages);
  const { message } = App.useApp();
  const notify = useFailureNotice();
  const refresh = useRefreshSessions();
  const end = $api.useMutation('post', '/api/v1/live-sessions/{id}/end');
  return (
    <Popconfirm
      title={t('endSessionConfirm', { title: session.title })}
      okText={t('endSession')}
      okButtonProps={{ danger: true }}
      onConfirm={() =>
        end.mutateAsync({ params: { path: { id: session.id } } }).then(
          () => {
            void message.success(t('ended'));
            void refresh();
          },
          (error: unknown) => notify(error),
        )
      }
    >
      <Button danger loading={end.isPending}>
        {t('endSession')}
      </Button>
    </Popconfirm>
  );
}

function SessionItem({ session }: { session: LiveSession }) {
  const t = useMessages(liveMessages);
  const { locale } = useLocale();
  const { user, can } = useSession();
  const regions = useRegionNames(session.regionCodes, (n) => t('moreRegions', { n }));
  const facts = [
    t('speaker', { name: session.startedBy.username }),
    t('startedAt', { at: countyDateTime(session.liveAt ?? session.createdAt) }),
    session.durationMs !== null && !isOpen(session) && t('length', { value: duration(session.durationMs / 1000) }),
    !isOpen(session) && t('played', { n: session.receipts.played }),
    session.status === 'ended' && t('endedBecause', { reason: endReasonText(session.endReason, locale) }),
  ].filter(Boolean);
  return (
    <List.Item aria-label={session.title}>
      <Flex vertical gap={4} style={{ width: '100%', minWidth: 0 }}>
        <Space wrap size={4}>
          <LiveStatusTag status={session.status} />
          <PriorityTag priority={session.priority} />
          <Typography.Text strong style={{ overflowWrap: 'anywhere' }}>
            {session.title}
          </Typography.Text>
        </Space>
        <Muted>{regions}</Muted>
        <Muted>{facts.join(' · ')}</Muted>
        {mayEnd(session, user, can('live.end-any')) && (
          <div>
            <EndButton session={session} />
          </div>
        )}
        {session.status === 'ended' && <Recording session={session} />}
      </Flex>
    </List.Item>
  );
}

/** Every session in the user's scope: what is on air now first, then what was said, by whom, to how many loudspeakers. */
export function SessionList() {
  const t = useMessages(liveMessages);
  const sessions = useLiveSessions();
  if (sessions.error) return <FailureAlert error={sessions.error} />;
  return (
    <List
      loading={sessions.isPending}
      dataSource={liveFirst(sessions.data?.items ?? [])}
      rowKey="id"
      locale={{ emptyText: t('empty') }}
      renderItem={(session) => <SessionItem session={session} />}
    />
  );
}
