import { App, Button, Card, Empty, List, Popconfirm, Space, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { $api } from '../../api/client';
import { FailureAlert, useFailureNotice } from '../../components/failure';
import { EndpointReport } from '../../components/endpoint-report';
import { StatusTag } from '../../components/status-tag';
import { useMessages } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { countyDateTime } from '../../time/county-time';
import { AddEndpoint } from './AddEndpoint';
import { LocateEndpoint } from './LocateEndpoint';
import type { IssuedCode } from './EnrollmentCode';
import { type Endpoint, endpointState } from './endpoint-state';
import { messages } from './messages';

/** Heartbeats come every minute or so; a device that comes online should show so without a reload. */
const ENDPOINTS_POLL_MS = 5_000;
const PAGE_SIZE = 100;
/** The most the server lists at once; beyond it an operator narrows the tree. */
const MAX_PAGE = 1_000;

function EndpointActions({ endpoint, onIssued }: { endpoint: Endpoint; onIssued: (issued: IssuedCode) => void }) {
  const t = useMessages(messages);
  const notify = useFailureNotice();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const refresh = () => queries.invalidateQueries({ queryKey: ['get', '/api/v1/endpoints'] });
  const reissue = $api.useMutation('post', '/api/v1/endpoints/{id}/enrollment-code');
  const revoke = $api.useMutation('post', '/api/v1/endpoints/{id}/revoke');
  const path = { params: { path: { id: endpoint.id } } };
  return (
    <Space wrap>
      <LocateEndpoint endpoint={endpoint} />
      <Button
        loading={reissue.isPending}
        onClick={() =>
          reissue.mutate(path, {
            onSuccess: (issued) => {
              void refresh();
              onIssued({ endpointName: endpoint.name, code: issued.enrollmentCode, expiresAt: issued.expiresAt });
            },
            onError: (error) => notify(error),
          })
        }
      >
        {t('reissue')}
      </Button>
      {endpoint.status !== 'revoked' && (
        <Popconfirm
          title={t('revokeConfirm', { name: endpoint.name })}
          okText={t('revoke')}
          okButtonProps={{ danger: true }}
          onConfirm={() =>
            revoke.mutateAsync(path).then(
              () => {
                void message.success(t('revokedDone', { name: endpoint.name }));
                return refresh();
              },
              (error: unknown) => notify(error),
            )
          }
        >
          <Button danger loading={revoke.isPending}>
            {t('revoke')}
          </Button>
        </Popconfirm>
      )}
    </Space>
  );
}

/** The loudspeakers in a region and below, with their state and last heartbeat in county time. */
export function EndpointList({
  region,
  regionName,
  onIssued,
}: {
  region: { code: string; name: string };
  /** The name of a region below, where the page knows it (its children). */
  regionName: (code: string) => string | undefined;
  onIssued: (issued: IssuedCode) => void;
}) {
  const t = useMessages(messages);
  const { can } = useSession();
  const manage = can('endpoints.manage');
  // More is shown by asking for a longer page: polling then keeps all of it fresh in one request.
  const [limit, setLimit] = useState(PAGE_SIZE);
  const endpoints = $api.useQuery(
    'get',
    '/api/v1/endpoints',
    { params: { query: { region: region.code, limit } } },
    { refetchInterval: ENDPOINTS_POLL_MS },
  );
  const items = endpoints.data?.items ?? [];
  const counts = endpoints.data?.counts;

  return (
    <Card
      title={t('endpointsOf', { name: region.name })}
      extra={manage && <AddEndpoint region={region} onIssued={onIssued} />}
      loading={endpoints.isPending}
    >
      <FailureAlert error={endpoints.error} />
      {counts && <Typography.Paragraph>{t('onlineOfTotal', counts)}</Typography.Paragraph>}
      <List<Endpoint>
        dataSource={items}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noEndpoints')} /> }}
        loadMore={
          endpoints.data?.nextCursor &&
          limit < MAX_PAGE && (
            <Button
              block
              loading={endpoints.isFetching}
              onClick={() => setLimit(Math.min(limit + PAGE_SIZE, MAX_PAGE))}
            >
              {t('loadMore')}
            </Button>
          )
        }
        renderItem={(endpoint) => {
          const state = endpointState(endpoint);
          const where =
            endpoint.regionCode === region.code ? null : (regionName(endpoint.regionCode) ?? endpoint.regionCode);
          return (
            <List.Item key={endpoint.id}>
              <Space direction="vertical" size={4} style={{ width: '100%' }}>
                <Space wrap size={4}>
                  <Typography.Text strong>{endpoint.name}</Typography.Text>
                  <StatusTag tone={state.tone}>{t(state.label)}</StatusTag>
                  {where && <span>{where}</span>}
                </Space>
                <span>
                  {endpoint.lastSeenAt
                    ? t('lastHeartbeat', { time: countyDateTime(endpoint.lastSeenAt) })
                    : t('neverSeen')}
                  {endpoint.serial && ` · ${t('serial', { serial: endpoint.serial })}`}
                </span>
                <EndpointReport endpoint={endpoint} />
                <span style={{ overflowWrap: 'anywhere' }}>
                  {endpoint.ebrid && `${t('ebrid', { ebrid: endpoint.ebrid })} · `}
                  {endpoint.longitude !== null && endpoint.latitude !== null
                    ? t('position', { longitude: endpoint.longitude, latitude: endpoint.latitude })
                    : t('noPosition')}
                  {endpoint.address && ` · ${endpoint.address}`}
                </span>
                {manage && <EndpointActions endpoint={endpoint} onIssued={onIssued} />}
              </Space>
            </List.Item>
          );
        }}
      />
    </Card>
  );
}
