import { Col, Row, Space, Typography } from 'antd';
import { useMessages } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { MediaList } from './MediaList';
import { mediaMessages } from './messages';
import { SpeakForm } from './SpeakForm';
import { UploadPanel } from './UploadPanel';

/**
 * Recordings and spoken notices on their way to the loudspeakers: upload or
 * type them, watch each become broadcast-ready (or learn why not), and listen
 * before scheduling.
 */
export default function MediaPage() {
  const t = useMessages(mediaMessages);
  const { can } = useSession();
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {t('title')}
      </Typography.Title>
      {can('media.upload') && (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            <UploadPanel />
          </Col>
          <Col xs={24} lg={12}>
            <SpeakForm />
          </Col>
        </Row>
      )}
      <MediaList />
    </Space>
  );
}
