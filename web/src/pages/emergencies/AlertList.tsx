import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, List, Space, Tabs, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import { FailureAlert } from '../../components/failure';
import { useMessages } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { countyDateTime } from '../../time/county-time';
import { useRegionNames } from '../../components/regions/regions';
import { ApproveButton } from './actions';
import { DrillTag, EbmTag, SeverityTag, StatusTag } from './alert-tags';
import type { Alert, AlertStatus } from './approval';
import { CapImport } from './CapImport';
import { categoryName } from './labels';
import { messages } from './messages';
import { useAlerts } from './queries';

function AlertItem({ alert }: { alert: Alert }) {
  const t = useMessages(messages);
  const regions = useRegionNames(alert.regionCodes, (n) => t('moreRegions', { n }));
  return (
    <List.Item>
      <Flex vertical gap={4} style={{ width: '100%', minWidth: 0 }}>
        <Space wrap size={4}>
          <SeverityTag level={alert.level} />
          {alert.drill && <DrillTag />}
          {alert.ebm && <EbmTag ebm={alert.ebm} />}
          <StatusTag status={alert.status} />
        </Space>
        <Link to={`/emergencies/${alert.id}`} style={{ fontSize: 16, fontWeight: 600, overflowWrap: 'anywhere' }}>
          {alert.title}
        </Link>
        <Typography.Text type="secondary" style={{ overflowWrap: 'anywhere' }}>
          {categoryName(t, alert.category)} · {regions} · {t('draftedAt', { at: countyDateTime(alert.createdAt) })}
        </Typography.Text>
        {alert.status === 'draft' && <ApproveButton alert={alert} />}
      </Flex>
    </List.Item>
  );
}

function Alerts({ status }: { status?: AlertStatus }) {
  const t = useMessages(messages);
  const alerts = useAlerts(status);
  if (alerts.error) return <FailureAlert error={alerts.error} />;
  return (
    <List
      loading={alerts.isPending}
      dataSource={alerts.data?.items ?? []}
      rowKey="id"
      locale={{ emptyText: t(status === 'draft' ? 'emptyQueue' : 'empty') }}
      renderItem={(alert) => <AlertItem alert={alert} />}
    />
  );
}

/** The approver's queue (the drafts in scope) and every alert in scope. */
export function AlertList() {
  const t = useMessages(messages);
  const { can } = useSession();
  const navigate = useNavigate();
  return (
    <Flex vertical gap={12}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('title')}
      </Typography.Title>
      {can('emergencies.draft') && (
        <Flex wrap gap={8}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/emergencies/new')}>
            {t('newAlert')}
          </Button>
          <CapImport />
        </Flex>
      )}
      <Card size="small">
        <Tabs
          defaultActiveKey={can('emergencies.approve') ? 'queue' : 'all'}
          items={[
            { key: 'queue', label: t('queue'), children: <Alerts status="draft" /> },
            { key: 'all', label: t('all'), children: <Alerts /> },
          ]}
        />
      </Card>
    </Flex>
  );
}
