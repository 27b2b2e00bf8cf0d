import { Col, Row } from 'antd';
import { TitledPage } from '../../components/page-title';
import { FailureAlert } from '../../components/failure';
import { SectionCard } from '../../components/section-card';
import { useMessages } from '../../i18n/i18n';
import { Catalogue } from './Catalogue';
import { Counter } from './Counter';
import { messages } from './messages';
import { useCatalogue } from './queries';

/** /redemption: the counter where volunteers redeem points, and the catalogue it hands out from. */
export default function RedemptionPage() {
  const t = useMessages(messages);
  const catalogue = useCatalogue();
  const items = catalogue.data?.items ?? [];
  return (
    <TitledPage title={t('title')} intro={t('intro')}>
      <FailureAlert error={catalogue.error} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={13}>
          <SectionCard title={t('counter')}>
            <Counter items={items} />
          </SectionCard>
        </Col>
        <Col xs={24} xl={11}>
          <SectionCard title={t('catalogue')}>
            <Catalogue items={items} loading={catalogue.isPending} />
          </SectionCard>
        </Col>
      </Row>
    </TitledPage>
  );
}
