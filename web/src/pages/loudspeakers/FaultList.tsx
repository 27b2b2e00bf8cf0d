import { Flex, List, Typography } from 'antd';
import { Link } from 'react-router';
import { $api } from '../../api/client';
import type { components } from '../../api/schema.gen';
import { FailureAlert } from '../../components/failure';
import { Muted } from '../../components/muted';
import { SectionCard } from '../../components/section-card';
import { StatusTag } from '../../components/status-tag';
import { useMessages } from '../../i18n/i18n';
import { countyDateTime } from '../../time/county-time';
import { STATE_POLL_MS } from './map-states';
import { messages } from './messages';

type OpenFault = components['schemas']['OpenFaultList']['items'][number];

/** The faults loudspeakers report now, newest first: where, what, since when. */
export function FaultList({ region }: { region: { code: string } }) {
  const t = useMessages(messages);
  const faults = $api.useQuery(
    'get',
    '/api/v1/endpoints/faults',
    { params: { query: { region: region.code } } },
    { refetchInterval: STATE_POLL_MS },
  );
  return (
    <SectionCard title={t('openFaults')}>
      <FailureAlert error={faults.error} />
      <List<OpenFault>
        loading={faults.isPending}
        dataSource={faults.data?.items ?? []}
        locale={{ emptyText: t('noFaults') }}
        renderItem={(fault) => (
          <List.Item key={fault.id}>
            <Flex vertical gap={4}>
              <Flex wrap gap={4} align="center">
                <Link to={`/loudspeakers/${fault.endpoint.id}`}>{fault.endpoint.name}</Link>
                <StatusTag tone="bad">{t('stateFault')}</StatusTag>
                {!fault.endpoint.online && <StatusTag tone="idle">{t('offlineNow')}</StatusTag>}
                <Muted>{`${fault.place.parentName ?? ''}${fault.place.regionName}`}</Muted>
              </Flex>
              <Typography.Text>{fault.text || fault.code}</Typography.Text>
              <Muted>
                {t('faultSince', { time: countyDateTime(fault.since) })} · {t('faultCode', { code: fault.code })}
              </Muted>
            </Flex>
          </List.Item>
        )}
      />
    </SectionCard>
  );
}
