import { Button, Card, Descriptions, Empty, List, Popconfirm, Result, Space, Statistic, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { $api } from '../../api/client';
import { ApiFailure } from '../../api/errors';
import { FailureAlert } from '../../components/failure';
import { PageLoading } from '../../components/page-loading';
import { useMessages } from '../../i18n/i18n';
import { countyDateTime } from '../../time/county-time';
import { CounterCode } from './CounterCode';
import { OfferedItems } from './OfferedItems';
import { messages } from './messages';

/** A volunteer's own page (/v/me): their card, points, history and the code for the redemption counter. */
export default function MePage() {
  const t = useMessages(messages);
  const queries = useQueryClient();
  const me = $api.useQuery('get', '/api/v1/volunteer/me');
  const dropCard = $api.useMutation('delete', '/api/v1/volunteer/me/card');
  const [signedOut, setSignedOut] = useState(false);

  if (signedOut) return <Result status="success" title={t('signedOut')} />;
  if (me.isPending) return <PageLoading />;
  if (me.error)
    return me.error instanceof ApiFailure && me.error.status === 401 ? (
      <Result status="info" title={t('noCard')} />
    ) : (
      <FailureAlert error={me.error} />
    );
  const volunteer = me.data;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>
          {t('meTitle')}
        </Typography.Title>
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('name')}>{volunteer.name}</Descriptions.Item>
          <Descriptions.Item label={t('villageOf')}>{volunteer.village.name}</Descriptions.Item>
          {volunteer.phone && <Descriptions.Item label={t('phoneMasked')}>{volunteer.phone}</Descriptions.Item>}
        </Descriptions>
        <Space size="large" wrap style={{ marginTop: 8 }}>
          <Statistic title={t('points')} value={volunteer.points} />
          <Statistic title={t('earned')} value={volunteer.earned} />
        </Space>
        <div style={{ marginTop: 16 }}>
          <CounterCode />
        </div>
      </Card>
      <OfferedItems points={volunteer.points} />
      <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('history')}</h2>}>
        {volunteer.history.length === 0 ? (
          <Empty description={t('noHistory')} />
        ) : (
          <List
            dataSource={volunteer.history}
            rowKey="seq"
            renderItem={(item) => (
              <List.Item>
                <List.Item.Meta
                  title={item.kind === 'hours' ? item.topicTitle : t('redeemed', { reason: item.reason ?? '' })}
                  description={
                    <>
                      <div>{countyDateTime(item.signedInAt ?? item.occurredAt)}</div>
                      {item.minutes !== null && <div>{t('hours', { minutes: item.minutes })}</div>}
                    </>
                  }
                />
                <div style={{ textAlign: 'right' }}>
                  <div>{t('pointsChange', { points: item.points > 0 ? `+${item.points}` : item.points })}</div>
                  {item.balance !== null && (
                    <Typography.Text type="secondary">{t('balance', { balance: item.balance })}</Typography.Text>
                  )}
                </div>
              </List.Item>
            )}
          />
        )}
      </Card>
      <Popconfirm
        title={t('signOutCard')}
        description={<div style={{ maxWidth: 260 }}>{t('signOutConfirm')}</div>}
        okText={t('confirm')}
        cancelText={t('cancel')}
        onConfirm={() =>
          dropCard.mutate(
            {},
            {
              onSuccess: () => {
                setSignedOut(true);
                queries.clear();
              },
            },
          )
        }
      >
        <Button danger block loading={dropCard.isPending}>
          {t('signOutCard')}
        </Button>
      </Popconfirm>
      <FailureAlert error={dropCard.error} />
    </Space>
  );
}
