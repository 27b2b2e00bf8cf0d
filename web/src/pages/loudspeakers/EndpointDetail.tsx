import { ArrowLeftOutlined } from '@ant-design/icons';
import { Descriptions, Flex, List } from 'antd';
import { Link, useParams } from 'react-router';
import { $api } from '../../api/client';
import type { components } from '../../api/schema.gen';
import { EndpointReport } from '../../components/endpoint-report';
import { FailureAlert } from '../../components/failure';
import { Muted } from '../../components/muted';
import { PageLoading } from '../../components/page-loading';
import { TitledPage } from '../../components/page-title';
import { useRegion } from '../../components/regions/regions';
import { SectionCard } from '../../components/section-card';
import { StatusTag } from '../../components/status-tag';
import { useMessages } from '../../i18n/i18n';
import { countyDateTime } from '../../time/county-time';
import { STATE_POLL_MS } from './map-states';
import { messages } from './messages';

type Fault = components['schemas']['FaultHistory']['items'][number];

/** /loudspeakers/:id: one loudspeaker as it reports itself, and its faults (where a fault notice links to). */
export function EndpointDetail() {
  const t = useMessages(messages);
  const { id = '' } = useParams();
  const path = { params: { path: { id } } };
  const endpoint = $api.useQuery('get', '/api/v1/endpoints/{id}', path, { refetchInterval: STATE_POLL_MS });
  const faults = $api.useQuery('get', '/api/v1/endpoints/{id}/faults', path, { refetchInterval: STATE_POLL_MS });
  const region = useRegion(endpoint.data?.regionCode);

  if (endpoint.error) return <FailureAlert error={endpoint.error} />;
  if (!endpoint.data) return <PageLoading />;
  const e = endpoint.data;
  const where = region.data
    ? [...region.data.ancestors.map((a: { name: string }) => a.name), region.data.name].slice(-2).join('')
    : e.regionCode;

  return (
    <TitledPage title={e.name} intro={where}>
      <Link to="/loudspeakers">
        <ArrowLeftOutlined /> {t('back')}
      </Link>
      <SectionCard title={t('reported')}>
        <Flex vertical gap={8}>
          <Flex wrap gap={4}>
            <StatusTag tone={e.online ? 'good' : 'idle'}>{t(e.online ? 'stateOnline' : 'stateOffline')}</StatusTag>
          </Flex>
          <EndpointReport endpoint={e} />
          <Descriptions
            size="small"
            column={{ xs: 1, md: 2 }}
            items={[
              { key: 'seen', label: t('lastHeartbeat'), children: countyDateTime(e.lastSeenAt) },
              { key: 'version', label: t('version'), children: e.version ?? t('unknown') },
              { key: 'address', label: t('address'), children: e.address ?? t('unknown') },
              {
                key: 'position',
                label: t('position'),
                children:
                  e.longitude !== null && e.latitude !== null
                    ? t('positionValue', { longitude: e.longitude, latitude: e.latitude })
                    : t('unplaced'),
              },
            ]}
          />
        </Flex>
      </SectionCard>
      <SectionCard title={t('faultHistory')}>
        <FailureAlert error={faults.error} />
        <List<Fault>
          loading={faults.isPending}
          dataSource={faults.data?.items ?? []}
          locale={{ emptyText: t('noFaultHistory') }}
          renderItem={(fault) => (
            <List.Item key={fault.id}>
              <Flex vertical gap={2}>
                <Flex wrap gap={4} align="center">
                  {!fault.closedAt && <StatusTag tone="bad">{t('currentFault')}</StatusTag>}
                  <span>{fault.text || fault.code}</span>
                </Flex>
                <Muted>
                  {fault.closedAt
                    ? t('faultClosed', { from: countyDateTime(fault.openedAt), to: countyDateTime(fault.closedAt) })
                    : t('faultOpen', { from: countyDateTime(fault.openedAt) })}
                  {' · '}
                  {t('faultCode', { code: fault.code })}
                </Muted>
              </Flex>
            </List.Item>
          )}
        />
      </SectionCard>
    </TitledPage>
  );
}
