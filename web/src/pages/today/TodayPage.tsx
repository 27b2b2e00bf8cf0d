import { Col, Empty, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { FailureAlert } from '../../components/failure';
import { PageLoading } from '../../components/page-loading';
import { useRegion, useRootRegions } from '../../components/regions/regions';
import { useMessages } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { CoverageCard } from './CoverageCard';
import { LiveAlerts } from './LiveAlerts';
import { messages } from './messages';
import { ReadinessCard } from './ReadinessCard';

/**
 * What an operator looks at first each day: will tonight's 17:30 air
 * everywhere, how did yesterday's go, and is an alert on air now. For the top
 * of the user's scope; an unscoped admin picks a county.
 */
export default function TodayPage() {
  const t = useMessages(messages);
  const { can } = useSession();
  const roots = useRootRegions();
  const [chosen, setChosen] = useState<string>();
  const rootCode = chosen ?? roots.data?.[0]?.code;
  const root = useRegion(rootCode);

  if (roots.error || root.error) return <FailureAlert error={roots.error ?? root.error} />;
  if (roots.isPending || (rootCode && root.isPending)) return <PageLoading />;
  const region = root.data;
  if (!region) return <Empty description={t('noRegions')} />;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap align="center" style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('title')} · {region.name}
        </Typography.Title>
        {roots.data.length > 1 && (
          <Select
            aria-label={t('region')}
            style={{ minWidth: 200 }}
            value={rootCode}
            onChange={setChosen}
            options={roots.data.map((region) => ({ value: region.code, label: region.name }))}
          />
        )}
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <ReadinessCard root={region} />
        </Col>
        <Col xs={24} xl={10}>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            {can('emergencies.read') && <LiveAlerts />}
            <CoverageCard regionCode={region.code} />
          </Space>
        </Col>
      </Row>
    </Space>
  );
}
