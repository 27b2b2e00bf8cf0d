import { Flex, List, Segmented, Space, Typography } from 'antd';
import { useState } from 'react';
import { $api } from '../../api/client';
import type { components } from '../../api/schema.gen';
import { FailureAlert } from '../../components/failure';
import { Muted } from '../../components/muted';
import { StatusTag, type Tone } from '../../components/status-tag';
import { useMessages } from '../../i18n/i18n';
import { countyDateTime } from '../../time/county-time';
import { messages, type EbdMessageKey } from './messages';
import { LOG_POLL_MS, resultKey } from './log-text';

type Package = components['schemas']['EbdPackageList']['items'][number];
type Direction = Package['direction'];

const STATUS: Record<Package['status'], { tone: Tone; label: EbdMessageKey }> = {
  answered: { tone: 'info', label: 'packageStatusAnswered' },
  pending: { tone: 'warn', label: 'packageStatusPending' },
  sent: { tone: 'good', label: 'packageStatusSent' },
  failed: { tone: 'bad', label: 'packageStatusFailed' },
};

function PackageItem({ item }: { item: Package }) {
  const t = useMessages(messages);
  const status = STATUS[item.status];
  const result = resultKey(item.resultCode);
  const wrap = { overflowWrap: 'anywhere' } as const;
  return (
    <List.Item>
      <Flex vertical gap={2} style={{ width: '100%', minWidth: 0 }}>
        <Space wrap size={4}>
          <StatusTag tone="idle">{t(item.direction)}</StatusTag>
          <Typography.Text strong>{item.type}</Typography.Text>
          <StatusTag tone={status.tone}>{t(status.label)}</StatusTag>
          <Muted>{countyDateTime(item.createdAt)}</Muted>
        </Space>
        {result && (
          <Typography.Text type={item.resultCode === 1 ? undefined : 'danger'}>
            {t('result', { desc: t(result) })}
            {item.resultDesc && item.resultDesc !== t(result) && ` (${item.resultDesc})`}
          </Typography.Text>
        )}
        {item.status === 'pending' && item.nextAttemptAt && (
          <span>
            {t('attempts', { n: item.attempts })} · {t('nextAttempt', { time: countyDateTime(item.nextAttemptAt) })}
          </span>
        )}
        {item.lastError && item.status !== 'sent' && (
          <Typography.Text type="danger" style={wrap}>
            {t('lastError', { error: item.lastError })}
          </Typography.Text>
        )}
        <Muted>
          <span style={wrap}>
            EBDID {item.ebdId}
            {item.relatedEbdId && ` · ${t('related', { ebdId: item.relatedEbdId })}`}
          </span>
        </Muted>
      </Flex>
    </List.Item>
  );
}

/** 收发记录: every package received and sent, newest first, with what each was answered. */
export function PackageLog({ countyCode }: { countyCode: string }) {
  const t = useMessages(messages);
  const [direction, setDirection] = useState<Direction | 'all'>('all');
  const packages = $api.useQuery(
    'get',
    '/api/v1/ebd/links/{countyCode}/packages',
    {
      params: { path: { countyCode }, query: direction === 'all' ? {} : { direction } },
    },
    { refetchInterval: LOG_POLL_MS },
  );
  return (
    <Flex vertical gap={8}>
      <Segmented<Direction | 'all'>
        aria-label={t('filterDirection')}
        value={direction}
        onChange={setDirection}
        options={[
          { value: 'all', label: t('all') },
          { value: 'inbound', label: t('inbound') },
          { value: 'outbound', label: t('outbound') },
        ]}
      />
      <FailureAlert error={packages.error} />
      <List<Package>
        loading={packages.isPending}
        dataSource={packages.data?.items ?? []}
        rowKey="ebdId"
        locale={{ emptyText: t('noPackages') }}
        renderItem={(item) => <PackageItem item={item} />}
      />
    </Flex>
  );
}
