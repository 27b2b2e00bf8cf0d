import { Button, Empty, List, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { $api } from '../../api/client';
import { CursorPager, useCursorPages } from '../../components/cursor-pager';
import { FailureAlert } from '../../components/failure';
import { Muted } from '../../components/muted';
import { SectionCard } from '../../components/section-card';
import { StatusTag } from '../../components/status-tag';
import { useMessages } from '../../i18n/i18n';
import { countyDateTime } from '../../time/county-time';
import { type Delivery, type DeliveryStatus, SHOWS_VOLUME, STATUS_LABEL, STATUS_TONE, STATUSES } from './command-logic';
import { COMMANDS_POLL_MS, CommandProgress, useCommandName } from './CommandList';
import { messages } from './messages';

/** One loudspeaker's copy of the command: what it said, and (for volume commands) the volume it reports now. */
function DeliveryItem({ delivery, showVolume }: { delivery: Delivery; showVolume: boolean }) {
  const t = useMessages(messages);
  const { reported } = delivery;
  return (
    <List.Item>
      <Space direction="vertical" size={4} style={{ width: '100%' }}>
        <Space wrap size={4}>
          <Typography.Text strong>{delivery.endpointName}</Typography.Text>
          <StatusTag tone={STATUS_TONE[delivery.status]}>{t(STATUS_LABEL[delivery.status])}</StatusTag>
          <StatusTag tone={reported.online ? 'good' : 'idle'}>{t(reported.online ? 'online' : 'offline')}</StatusTag>
        </Space>
        {delivery.result && <span>{t('result', { result: delivery.result })}</span>}
        {showVolume && (
          <span>
            {reported.volume === null ? t('reportedUnknown') : t('reportedVolume', { volume: reported.volume })}
          </span>
        )}
        {delivery.attempts > 0 && delivery.sentAt && (
          <Muted>
            {`${t('attempts', { n: delivery.attempts })} · ${t('lastSent', { time: countyDateTime(delivery.sentAt) })}`}
          </Muted>
        )}
      </Space>
    </List.Item>
  );
}

/** One command: its progress, and each targeted loudspeaker's delivery as the loudspeaker reported it. */
export function CommandDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const t = useMessages(messages);
  const name = useCommandName();
  const pages = useCursorPages();
  const [status, setStatus] = useState<DeliveryStatus>();
  const detail = $api.useQuery(
    'get',
    '/api/v1/endpoint-commands/{id}',
    {
      params: {
        path: { id },
        query: { limit: 100, ...(status ? { status } : {}), ...(pages.after ? { after: pages.after } : {}) },
      },
    },
    { refetchInterval: COMMANDS_POLL_MS },
  );
  const command = detail.data?.command;
  return (
    <SectionCard
      title={command ? `${t('devices')} · ${name(command)}` : t('devices')}
      extra={<Button onClick={onClose}>{t('close')}</Button>}
    >
      <FailureAlert error={detail.error} />
      {command && (
        <Space direction="vertical" size={8} style={{ width: '100%', marginBottom: 8 }}>
          <span>{t('target', { target: command.endpoint?.name ?? command.regionName })}</span>
          <Muted>{t('expiresAt', { time: countyDateTime(command.expiresAt) })}</Muted>
          <CommandProgress command={command} />
          <Select<DeliveryStatus>
            aria-label={t('filterStatus')}
            allowClear
            placeholder={t('allStatuses')}
            value={status}
            onChange={(value) => {
              setStatus(value);
              pages.reset();
            }}
            style={{ minWidth: 160 }}
            options={STATUSES.map((value) => ({ value, label: t(STATUS_LABEL[value]) }))}
          />
        </Space>
      )}
      <List<Delivery>
        loading={detail.isPending}
        dataSource={detail.data?.deliveries.items ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noDeliveries')} /> }}
        renderItem={(delivery) => (
          <DeliveryItem
            key={delivery.endpointId}
            delivery={delivery}
            showVolume={!!command && SHOWS_VOLUME.includes(command.kind)}
          />
        )}
      />
      <CursorPager pages={pages} nextCursor={detail.data?.deliveries.nextCursor} />
    </SectionCard>
  );
}
