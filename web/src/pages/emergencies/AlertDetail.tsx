import { Card, Descriptions, Flex, Space, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { FailureAlert } from '../../components/failure';
import { PageLoading } from '../../components/page-loading';
import { useMessages } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { countyDateTime } from '../../time/county-time';
import { useRegionNames } from '../../components/regions/regions';
import { ApproveButton, CancelButton, ExportCapButton } from './actions';
import { DrillBanner, DrillTag, EbmTag, SeverityTag, StatusTag } from './alert-tags';
import type { Alert } from './approval';
import { AuditTrail } from './AuditTrail';
import { DeliveryView } from './DeliveryView';
import { categoryName } from './labels';
import { messages } from './messages';
import { useAlert, useAudio } from './queries';

/** The alert's speech as the loudspeakers will air it, to listen to before approving. */
function AlertAudio({ mediaId }: { mediaId: string }) {
  const t = useMessages(messages);
  const { can } = useSession();
  const audio = useAudio(mediaId, can('media.read'));
  if (!audio.data) return <>—</>;
  if (audio.data.status === 'failed') return <>{t('audioFailed', { reason: audio.data.error ?? '' })}</>;
  if (audio.data.status !== 'ready' || !audio.data.url) return <>{t('audioPreparing')}</>;
  return <audio controls preload="none" src={audio.data.url} aria-label={t('audio')} style={{ maxWidth: '100%' }} />;
}

function Facts({ alert }: { alert: Alert }) {
  const t = useMessages(messages);
  const regions = useRegionNames(alert.regionCodes, (n) => t('moreRegions', { n }));
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, md: 2 }}
      items={[
        { key: 'category', label: t('fieldCategory'), children: categoryName(t, alert.category) },
        { key: 'regions', label: t('regions'), children: regions },
        ...(alert.text ? [{ key: 'text', label: t('fieldText'), children: alert.text, span: 2 }] : []),
        { key: 'audio', label: t('audio'), children: <AlertAudio mediaId={alert.mediaId} /> },
        { key: 'repeat', label: t('fieldRepeat'), children: alert.repeat },
        { key: 'drafted', label: t('fieldDraftedAt'), children: countyDateTime(alert.createdAt) },
        { key: 'expires', label: t('fieldExpiresAt'), children: countyDateTime(alert.expiresAt) },
        ...(alert.ebm
          ? [
              {
                key: 'ebm',
                label: t('fieldEbmId'),
                children: <span style={{ overflowWrap: 'anywhere' }}>{alert.ebm.ebmId}</span>,
              },
            ]
          : []),
      ]}
    />
  );
}

export function AlertDetail() {
  const t = useMessages(messages);
  const { id = '' } = useParams();
  const { data: alert, error } = useAlert(id);
  if (error) return <FailureAlert error={error} />;
  if (!alert) return <PageLoading />;
  return (
    <Flex vertical gap={12}>
      <Link to="/emergencies">{t('back')}</Link>
      {alert.drill && <DrillBanner />}
      <Space wrap size={4}>
        <SeverityTag level={alert.level} />
        {alert.drill && <DrillTag />}
        {alert.ebm && <EbmTag ebm={alert.ebm} />}
        <StatusTag status={alert.status} />
      </Space>
      <Typography.Title level={2} style={{ margin: 0, overflowWrap: 'anywhere' }}>
        {alert.title}
      </Typography.Title>
      <Card size="small">
        <Facts alert={alert} />
        <Flex wrap gap={8} align="start">
          <ApproveButton alert={alert} />
          <CancelButton alert={alert} />
          <ExportCapButton alert={alert} />
        </Flex>
      </Card>
      <DeliveryView alert={alert} />
      <AuditTrail alert={alert} />
    </Flex>
  );
}
