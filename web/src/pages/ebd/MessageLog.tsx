import { Flex, List, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { $api } from '../../api/client';
import type { components } from '../../api/schema.gen';
import { FailureAlert } from '../../components/failure';
import { Muted } from '../../components/muted';
import { StatusTag } from '../../components/status-tag';
import { useMessages } from '../../i18n/i18n';
import { countyDateTime } from '../../time/county-time';
import { DrillTag } from '../emergencies/alert-tags';
import { brdStateKey, isDrillMsgType, LOG_POLL_MS, msgTypeKey } from './log-text';
import { messages } from './messages';

type Message = components['schemas']['EbdMessageList']['items'][number];

function MessageItem({ item }: { item: Message }) {
  const t = useMessages(messages);
  const kind = msgTypeKey(item.msgType);
  const state = brdStateKey(item.reportedState);
  const drill = item.emergency?.drill ?? isDrillMsgType(item.msgType);
  return (
    <List.Item>
      <Flex vertical gap={2} style={{ width: '100%', minWidth: 0 }}>
        <Space wrap size={4}>
          <StatusTag tone={item.direction === 'inbound' ? 'info' : 'idle'}>
            {t(item.direction === 'inbound' ? 'messageInbound' : 'messageOutbound')}
          </StatusTag>
          {kind && <StatusTag tone={item.msgType === 2 ? 'warn' : 'idle'}>{t(kind)}</StatusTag>}
          {drill && <DrillTag />}
          <Muted>{countyDateTime(item.createdAt)}</Muted>
        </Space>
        {item.emergency ? (
          <Link to={`/emergencies/${item.emergency.id}`} style={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
            {item.emergency.title}
          </Link>
        ) : (
          <Muted>{t('noAlert')}</Muted>
        )}
        <span>{state ? t('reportedState', { state: t(state) }) : t('notReported')}</span>
        <Typography.Text style={{ overflowWrap: 'anywhere' }}>EBMID {item.ebmId}</Typography.Text>
      </Flex>
    </List.Item>
  );
}

/** 应急广播消息: the EBMs received from above and reported up, each with its alert and last reported state. */
export function MessageLog({ countyCode }: { countyCode: string }) {
  const t = useMessages(messages);
  const list = $api.useQuery(
    'get',
    '/api/v1/ebd/links/{countyCode}/messages',
    { params: { path: { countyCode } } },
    { refetchInterval: LOG_POLL_MS },
  );
  return (
    <>
      <FailureAlert error={list.error} />
      <List<Message>
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        rowKey="ebmId"
        locale={{ emptyText: t('noMessages') }}
        renderItem={(item) => <MessageItem item={item} />}
      />
    </>
  );
}
