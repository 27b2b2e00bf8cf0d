import { Card, Col, Row, Space, Statistic, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { ReactNode } from 'react';
import { $api } from '../../api/client';
import { FailureAlert } from '../../components/failure';
import { type Region, useRegion } from '../../components/regions/regions';
import { StatusTag } from '../../components/status-tag';
import { useMessages, type Translate } from '../../i18n/i18n';
import { countyClock } from '../../time/county-time';
import { messages } from './messages';
import {
  type ChildReadiness,
  type NotReadyReason,
  notReadyIn,
  type Readiness,
  readinessByChild,
  readinessCounts,
  type ReadinessCounts,
} from './readiness';

type Key = keyof (typeof messages)['zh-CN'];
const REASON_KEY: Record<NotReadyReason, Key> = {
  offline: 'reasonOffline',
  'playlist-not-fetched': 'reasonNotFetched',
  'playlist-outdated': 'reasonOutdated',
  'media-missing': 'reasonMediaMissing',
};

/** Before 17:30 the server checks every few seconds' worth of heartbeats; the page follows without a reload. */
const READINESS_POLL_MS = 5_000;

function ReadyTag({ counts, t }: { counts: ReadinessCounts; t: Translate<Key> }) {
  if (!counts.total) return <StatusTag tone="idle">{t('noEndpoints')}</StatusTag>;
  if (counts.ready === counts.total) return <StatusTag tone="good">{t('allReady')}</StatusTag>;
  return (
    <StatusTag tone="warn">
      {t('notReady')} {counts.total - counts.ready}
    </StatusTag>
  );
}

function columns(t: Translate<Key>): ColumnsType<ChildReadiness> {
  const share = (field: keyof ReadinessCounts) => (_: unknown, row: ChildReadiness) =>
    t('ofTotal', { n: row[field], total: row.total });
  return [
    { title: t('child'), dataIndex: 'name', key: 'name' },
    { title: t('online'), key: 'online', render: share('online') },
    // On a phone the table fits without scrolling sideways: what is missing is in the ready tag and the drill-down.
    { title: t('fetched'), key: 'fetched', render: share('fetched'), responsive: ['sm'] },
    { title: t('mediaHeld'), key: 'mediaHeld', render: share('mediaHeld'), responsive: ['sm'] },
    { title: t('ready'), key: 'ready', render: (_, row) => <ReadyTag counts={row} t={t} /> },
  ];
}

/** The loudspeakers of one region that would not air on their own, and what each lacks. */
function NotReadyList({ readiness, regionCode }: { readiness: Readiness; regionCode: string }) {
  const t = useMessages(messages);
  const endpoints = notReadyIn(readiness, regionCode);
  if (!endpoints.length) return <Typography.Text>{t('allReady')}</Typography.Text>;
  return (
    <ul style={{ margin: 0, paddingInlineStart: 16 }}>
      {endpoints.map((endpoint) => (
        <li key={endpoint.endpointId}>
          {endpoint.name}{' '}
          {endpoint.reasons.map((reason) => (
            <StatusTag key={reason} tone={reason === 'offline' ? 'bad' : 'warn'}>
              {t(REASON_KEY[reason])}
            </StatusTag>
          ))}
        </li>
      ))}
    </ul>
  );
}

function ReadinessTable({
  rows,
  expand,
  caption,
}: {
  rows: ChildReadiness[];
  expand: (row: ChildReadiness) => ReactNode;
  caption: string;
}) {
  const t = useMessages(messages);
  return (
    <Table<ChildReadiness>
      size="small"
      rowKey="code"
      dataSource={rows}
      columns={columns(t)}
      pagination={false}
      title={() => caption}
      expandable={{ expandedRowRender: expand, rowExpandable: (row) => row.total > 0 }}
    />
  );
}

/** A township's villages, fetched when the operator opens it. */
function VillageReadiness({ township, readiness }: { township: ChildReadiness; readiness: Readiness }) {
  const t = useMessages(messages);
  const region = useRegion(township.code);
  if (region.error) return <FailureAlert error={region.error} />;
  if (!region.data) return <Typography.Text>…</Typography.Text>;
  const rows = readinessByChild(
    { code: township.code, name: township.name, level: 'township' },
    region.data.children,
    readiness.regions.filter((row) => row.townshipCode === township.code),
  );
  return (
    <ReadinessTable
      rows={rows}
      caption={t('villagesOf', { name: township.name })}
      expand={(village) => <NotReadyList readiness={readiness} regionCode={village.code} />}
    />
  );
}

/** Tonight's readiness of the region: the totals an operator reads first, then each region below. */
export function ReadinessCard({ root }: { root: Region }) {
  const t = useMessages(messages);
  const readiness = $api.useQuery(
    'get',
    '/api/v1/regions/{code}/readiness',
    { params: { path: { code: root.code } } },
    { refetchInterval: READINESS_POLL_MS },
  );
  const data = readiness.data;
  const totals = data ? readinessCounts(data) : null;
  const stat = (key: Key, field: keyof ReadinessCounts) => (
    <Col xs={12} sm={6} key={field}>
      <Statistic title={t(key)} value={totals ? t('ofTotal', { n: totals[field], total: totals.total }) : '—'} />
    </Col>
  );
  return (
    <Card title={t('readinessTitle')} loading={readiness.isPending}>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <FailureAlert error={readiness.error} />
        {data && (
          <Typography.Text>
            {t('readinessAsOf', { date: data.date, time: countyClock(data.checkedAt, true) })}
          </Typography.Text>
        )}
        <Row gutter={[16, 16]}>
          {stat('online', 'online')}
          {stat('fetched', 'fetched')}
          {stat('mediaHeld', 'mediaHeld')}
          {stat('ready', 'ready')}
        </Row>
        {data && (
          <ReadinessTable
            rows={readinessByChild(root, root.children, data.regions)}
            caption={root.name}
            expand={(child) =>
              root.level === 'county' && child.code !== root.code ? (
                <VillageReadiness township={child} readiness={data} />
              ) : (
                <NotReadyList readiness={data} regionCode={child.code} />
              )
            }
          />
        )}
      </Space>
    </Card>
  );
}
