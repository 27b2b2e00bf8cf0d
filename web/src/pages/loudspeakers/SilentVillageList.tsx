import { Flex, List, Typography } from 'antd';
import { $api } from '../../api/client';
import type { components } from '../../api/schema.gen';
import { FailureAlert } from '../../components/failure';
import { Muted } from '../../components/muted';
import { SectionCard } from '../../components/section-card';
import { StatusTag } from '../../components/status-tag';
import { useMessages } from '../../i18n/i18n';
import { STATE_POLL_MS } from './map-states';
import { messages } from './messages';

// A county has hundreds of villages: a page of them at a time (those whose loudspeakers are all down come first).
const PAGE_SIZE = 20;

type SilentVillage = components['schemas']['SilentVillages']['items'][number];

/** Villages no working loudspeaker reaches now: those that have none apart from those whose are all down. */
export function SilentVillageList({ region }: { region: { code: string } }) {
  const t = useMessages(messages);
  const silent = $api.useQuery(
    'get',
    '/api/v1/endpoints/silent-villages',
    { params: { query: { region: region.code } } },
    { refetchInterval: STATE_POLL_MS },
  );
  const data = silent.data;
  return (
    <SectionCard title={t('tabSilent')}>
      <FailureAlert error={silent.error} />
      {data && (
        <Typography.Paragraph>
          {t('silentCount', { silent: data.silent, villages: data.villages })}
          {data.silent > data.items.length && ` · ${t('moreNotShown', { n: data.items.length })}`}
        </Typography.Paragraph>
      )}
      <List<SilentVillage>
        loading={silent.isPending}
        dataSource={data?.items ?? []}
        pagination={{ pageSize: PAGE_SIZE, hideOnSinglePage: true, showSizeChanger: false, size: 'small' }}
        locale={{ emptyText: t('noSilent') }}
        renderItem={(village) => (
          <List.Item key={village.code}>
            <Flex vertical gap={4}>
              <Flex wrap gap={4} align="center">
                <Typography.Text strong>{village.name}</Typography.Text>
                {village.reason === 'no-endpoints' ? (
                  <StatusTag tone="warn">{t('reasonNone')}</StatusTag>
                ) : (
                  <StatusTag tone="bad">{t('reasonNoneWorking')}</StatusTag>
                )}
                {village.township && <Muted>{village.township}</Muted>}
              </Flex>
              {village.reason === 'none-working' && (
                <Muted>
                  {t('silentCounts', {
                    endpoints: village.endpoints,
                    offline: village.offline,
                    fault: village.fault,
                    awaiting: village.awaiting,
                  })}
                </Muted>
              )}
            </Flex>
          </List.Item>
        )}
      />
    </SectionCard>
  );
}
