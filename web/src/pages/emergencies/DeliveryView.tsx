import { Card, Col, Empty, Flex, List, Progress, Row, Statistic, Tag, Typography } from 'antd';
import { FailureAlert } from '../../components/failure';
import { useMessages } from '../../i18n/i18n';
import { countyDateTime } from '../../time/county-time';
import { isLive, type Alert } from './approval';
import { deliveryRows, type DeliveryRow } from './delivery';
import { messages, type MessageKey } from './messages';
import { useDelivery } from './queries';

const COUNTS: MessageKey[] = ['pushed', 'acknowledged', 'played', 'failed', 'notReached'];

function Counts({ row }: { row: DeliveryRow }) {
  const t = useMessages(messages);
  return (
    <Typography.Text>
      {COUNTS.map((key) => `${t(key)} ${row[key as keyof DeliveryRow] as number}`).join(' · ')}
      {` / ${row.endpoints} ${t('endpoints')}`}
    </Typography.Text>
  );
}

/**
 * What the watch officer keeps open after approval: for each target region,
 * how many loudspeakers were pushed the alert, acknowledged it and played it,
 * updating as receipts arrive (polled while the alert is live).
 */
export function DeliveryView({ alert }: { alert: Alert }) {
  const t = useMessages(messages);
  const delivery = useDelivery(alert);
  const title = (
    <Flex gap={8} align="center" wrap>
      {t('delivery')}
      {isLive(alert.status) && <Tag style={{ color: '#003eb3', background: '#e6f4ff' }}>{t('deliveryLive')}</Tag>}
    </Flex>
  );
  if (alert.status === 'draft')
    return (
      <Card title={title} size="small">
        <Typography.Text>{t('deliveryWaiting')}</Typography.Text>
      </Card>
    );
  if (delivery.error)
    return (
      <Card title={title} size="small">
        <FailureAlert error={delivery.error} />
      </Card>
    );
  if (!delivery.data) return <Card title={title} size="small" loading />;
  const { regions, total } = deliveryRows(delivery.data, t('total'));
  return (
    <Card title={title} size="small">
      <section aria-label={t('total')}>
        <Row gutter={[8, 8]}>
          {(['endpoints', ...COUNTS] as MessageKey[]).map((key) => (
            <Col key={key} xs={8} md={4}>
              <Statistic title={t(key)} value={total[key as keyof DeliveryRow] as number} />
            </Col>
          ))}
        </Row>
      </section>
      <List
        dataSource={regions}
        rowKey="code"
        locale={{ emptyText: <Empty description={t('empty')} /> }}
        renderItem={(row) => (
          <List.Item aria-label={row.name}>
            <Flex vertical style={{ width: '100%', minWidth: 0 }}>
              <Typography.Text strong>{row.name}</Typography.Text>
              <Progress percent={row.playedPercent} size="small" aria-label={`${row.name} ${t('played')}`} />
              <Counts row={row} />
            </Flex>
          </List.Item>
        )}
      />
      {delivery.data.notReached.length > 0 && (
        <>
          <Typography.Title level={4}>{t('notReachedList')}</Typography.Title>
          <List
            size="small"
            dataSource={delivery.data.notReached}
            rowKey="endpointId"
            renderItem={(endpoint) => (
              <List.Item>
                {endpoint.name} ·{' '}
                {endpoint.lastSeenAt ? t('lastSeen', { at: countyDateTime(endpoint.lastSeenAt) }) : t('neverSeen')}
              </List.Item>
            )}
          />
        </>
      )}
    </Card>
  );
}
