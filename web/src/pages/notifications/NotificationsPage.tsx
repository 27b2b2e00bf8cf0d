import { Tabs } from 'antd';
import { TitledPage } from '../../components/page-title';
import { useMessages } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { Inbox } from './Inbox';
import { messages } from './messages';
import { RulesPanel } from './RulesPanel';
import { WebhooksPanel } from './WebhooksPanel';

/** /notifications 通知: one's own list; for admins also the rules and webhooks that route them. */
export default function NotificationsPage() {
  const t = useMessages(messages);
  const { can } = useSession();
  const inbox = { key: 'inbox', label: t('tabInbox'), children: <Inbox /> };
  return (
    <TitledPage title={t('title')} intro={t('intro')}>
      {can('notifications.manage') ? (
        <Tabs
          items={[
            inbox,
            { key: 'rules', label: t('tabRules'), children: <RulesPanel /> },
            { key: 'webhooks', label: t('tabWebhooks'), children: <WebhooksPanel /> },
          ]}
        />
      ) : (
        <Inbox />
      )}
    </TitledPage>
  );
}
