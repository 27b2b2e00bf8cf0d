import { BellOutlined } from '@ant-design/icons';
import { Badge, Button } from 'antd';
import { useNavigate } from 'react-router';
import { $api } from '../api/client';
import { useMessages } from '../i18n/i18n';
import { messages } from '../pages/notifications/messages';
import { POLL_MS } from '../pages/notifications/notification-text';

/** The header's bell: how many of one's notifications are unread; opens the list. */
export function NotificationBell() {
  const t = useMessages(messages);
  const navigate = useNavigate();
  const unread = $api.useQuery(
    'get',
    '/api/v1/notifications',
    { params: { query: { unread: 'true', limit: 1 } } },
    { refetchInterval: POLL_MS },
  ).data?.unread;
  const label = unread ? `${t('title')}：${t('unread')} ${unread}` : t('title');
  return (
    <Badge count={unread} size="small" overflowCount={99}>
      <Button
        type="text"
        icon={<BellOutlined />}
        aria-label={label}
        title={label}
        onClick={() => void navigate('/notifications')}
      />
    </Badge>
  );
}
