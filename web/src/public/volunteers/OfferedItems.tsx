import { Card, Empty, List, Typography } from 'antd';
import { useId } from 'react';
import { $api } from '../../api/client';
import { FailureAlert } from '../../components/failure';
import { StatusTag } from '../../components/status-tag';
import { useMessages } from '../../i18n/i18n';
import { messages } from './messages';

/** The county's and township's catalogues as the volunteer sees them: the price, the stock, and whether their points reach. */
export function OfferedItems({ points }: { points: number }) {
  const t = useMessages(messages);
  const offered = $api.useQuery('get', '/api/v1/volunteer/redemption-items');
  const heading = useId();
  return (
    <section aria-labelledby={heading}>
      <Card
        title={
          <h2 id={heading} style={{ margin: 0, fontSize: 16 }}>
            {t('offeredTitle')}
          </h2>
        }
        loading={offered.isPending}
      >
        <Typography.Paragraph type="secondary">{t('offeredHint')}</Typography.Paragraph>
        <FailureAlert error={offered.error} />
        {offered.data &&
          (offered.data.items.length === 0 ? (
            <Empty description={t('noOffers')} />
          ) : (
            <List
              dataSource={offered.data.items}
              rowKey="id"
              renderItem={(item) => (
                <List.Item>
                  <List.Item.Meta
                    title={item.name}
                    description={
                      <>
                        {item.description && <div>{item.description}</div>}
                        <div>{t('keptBy', { region: item.regionName })}</div>
                      </>
                    }
                  />
                  <div style={{ textAlign: 'right' }}>
                    <div>{t('offerPrice', { points: item.pointsPrice })}</div>
                    {item.stock === 0 ? (
                      <StatusTag tone="idle">{t('soldOut')}</StatusTag>
                    ) : (
                      <>
                        <Typography.Text type="secondary">{t('offerStock', { stock: item.stock })}</Typography.Text>
                        <div>
                          {points >= item.pointsPrice ? (
                            <StatusTag tone="good">{t('affordable')}</StatusTag>
                          ) : (
                            <StatusTag tone="idle">{t('shortBy', { points: item.pointsPrice - points })}</StatusTag>
                          )}
                        </div>
                      </>
                    )}
                  </div>
                </List.Item>
              )}
            />
          ))}
      </Card>
    </section>
  );
}
