import { Button, Card, Empty, List, Space, Tag } from 'antd';
import { useNavigate } from 'react-router';
import { $api } from '../../api/client';
import { FailureAlert } from '../../components/failure';
import { StatusTag } from '../../components/status-tag';
import { useMessages } from '../../i18n/i18n';
import { countyDateTime } from '../../time/county-time';
import { messages } from './messages';

/** An alert on air is news within seconds for the people on duty. */
const ALERTS_POLL_MS = 5_000;

// GY/T's four colours, each with a text colour that stays legible on it.
const LEVEL_STYLE: Record<number, { background: string; color: string }> = {
  1: { background: '#a8071a', color: '#fff' },
  2: { background: '#ad4e00', color: '#fff' },
  3: { background: '#fadb14', color: '#000' },
  4: { background: '#0958d9', color: '#fff' },
};
const LEVEL_KEY = { 1: 'level1', 2: 'level2', 3: 'level3', 4: 'level4' } as const;

/** The alerts airing now in the user's scope (the server scopes the list). */
export function LiveAlerts() {
  const t = useMessages(messages);
  const navigate = useNavigate();
  const alerts = $api.useQuery(
    'get',
    '/api/v1/emergencies',
    { params: { query: { status: 'active' } } },
    { refetchInterval: ALERTS_POLL_MS },
  );
  return (
    <Card
      title={t('alertsTitle')}
      loading={alerts.isPending}
      extra={
        <Button type="link" onClick={() => void navigate('/emergencies')}>
          {t('openAlerts')}
        </Button>
      }
    >
      <FailureAlert error={alerts.error} />
      {alerts.data &&
        (alerts.data.items.length ? (
          <List
            dataSource={alerts.data.items}
            renderItem={(alert) => {
              const level = alert.level as keyof typeof LEVEL_KEY;
              return (
                <List.Item key={alert.id}>
                  <List.Item.Meta
                    title={alert.title}
                    description={
                      <Space wrap size={4}>
                        <Tag style={{ ...LEVEL_STYLE[level], border: 0 }}>{t(LEVEL_KEY[level])}</Tag>
                        {alert.drill && <StatusTag tone="info">{t('drill')}</StatusTag>}
                        <span>{t('regionsTargeted', { n: alert.regionCodes.length })}</span>
                        <span>{t('until', { time: countyDateTime(alert.expiresAt) })}</span>
                      </Space>
                    }
                  />
                </List.Item>
              );
            }}
          />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noAlerts')} />
        ))}
    </Card>
  );
}
