import { Empty, List, Space, Tag, Typography } from 'antd';
import { $api } from '../../api/client';
import { FailureAlert } from '../../components/failure';
import { useMessages } from '../../i18n/i18n';
import { countyClock, duration } from '../../time/county-time';
import { messages } from './messages';

/** 今日播出: what the village's loudspeakers air today, in county time. */
export function Today({ code }: { code: string }) {
  const t = useMessages(messages);
  const today = $api.useQuery('get', '/api/v1/public/villages/{code}/today', { params: { path: { code } } });
  if (today.error) return <FailureAlert error={today.error} />;
  return (
    <List
      loading={today.isPending}
      dataSource={today.data?.items ?? []}
      locale={{ emptyText: <Empty description={t('todayEmpty')} /> }}
      renderItem={(item) => (
        <List.Item>
          <Space wrap>
            <Typography.Text strong>{countyClock(item.startsAt)}</Typography.Text>
            {/* A drill is never shown as a real alert. */}
            {item.kind === 'emergency' &&
              (item.drill ? <Tag>{t('drill')}</Tag> : <Tag color="red">{t('emergency')}</Tag>)}
            <span>{item.title}</span>
            <Typography.Text type="secondary">{duration(item.durationMs / 1000)}</Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}

/** 线上大讲堂: the last seven days' evening programmes, each to play again. */
export function Replays({ code }: { code: string }) {
  const t = useMessages(messages);
  const replays = $api.useQuery('get', '/api/v1/public/villages/{code}/replays', { params: { path: { code } } });
  if (replays.error) return <FailureAlert error={replays.error} />;
  return (
    <List
      loading={replays.isPending}
      dataSource={replays.data?.items ?? []}
      locale={{ emptyText: <Empty description={t('replaysEmpty')} /> }}
      renderItem={(item) => (
        <List.Item>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text strong>
              {item.date} {countyClock(item.startsAt)} · {item.title}
            </Typography.Text>
            {item.parts.map((part, index) => (
              <audio
                key={part.url + index}
                controls
                preload="none"
                src={part.url}
                style={{ width: '100%' }}
                aria-label={item.parts.length > 1 ? `${item.title} ${t('part', { n: index + 1 })}` : item.title}
              />
            ))}
          </Space>
        </List.Item>
      )}
    />
  );
}
