import { Card, Col, Empty, Row, Space, Typography } from 'antd';
import { useState } from 'react';
import { FailureAlert } from '../../components/failure';
import { RegionTree } from '../../components/regions/RegionTree';
import { useRegion, useRootRegions } from '../../components/regions/regions';
import { useMessages } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { EndpointList } from './EndpointList';
import { EnrollmentCodeModal, type IssuedCode } from './EnrollmentCode';
import { ImportRegions } from './ImportRegions';
import { messages } from './messages';

/** The selected region: where it sits, what lies below, and its loudspeakers. */
function RegionDetail({ code, onIssued }: { code: string; onIssued: (issued: IssuedCode) => void }) {
  const t = useMessages(messages);
  const region = useRegion(code);
  if (region.error) return <FailureAlert error={region.error} />;
  if (!region.data) return <Card loading />;
  const { data } = region;
  const names = new Map([data, ...data.children].map((r) => [r.code, r.name]));
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {[...data.ancestors.map((a) => a.name), data.name].join(' / ')}
        </Typography.Title>
        <Typography.Text>{t('counts', data.counts)}</Typography.Text>
      </Card>
      <EndpointList key={data.code} region={data} regionName={(c) => names.get(c)} onIssued={onIssued} />
    </Space>
  );
}

/** The county → township → village tree and each place's loudspeakers: add one, hand out its code, revoke it. */
export default function RegionsPage() {
  const t = useMessages(messages);
  const { can } = useSession();
  const roots = useRootRegions();
  const [selected, setSelected] = useState<string>();
  const [issued, setIssued] = useState<IssuedCode | null>(null);
  const current = selected ?? roots.data?.[0]?.code;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap align="center" style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        {can('regions.import') && <ImportRegions />}
      </Space>
      <FailureAlert error={roots.error} />
      <Row gutter={[16, 16]}>
        <Col xs={24} md={9} xl={7}>
          <Card title={t('tree')} loading={roots.isPending}>
            <nav aria-label={t('tree')}>
              <RegionTree selected={current} onSelect={(code) => setSelected(code)} />
            </nav>
          </Card>
        </Col>
        <Col xs={24} md={15} xl={17}>
          {current ? (
            <RegionDetail code={current} onIssued={setIssued} />
          ) : (
            <Card>
              <Empty description={t('pickRegion')} />
            </Card>
          )}
        </Col>
      </Row>
      <EnrollmentCodeModal issued={issued} onClose={() => setIssued(null)} />
    </Space>
  );
}
