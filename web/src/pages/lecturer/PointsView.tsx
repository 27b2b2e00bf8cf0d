import { Statistic, Typography } from 'antd';
import { $api } from '../../api/client';
import { FailureAlert } from '../../components/failure';
import { SectionCard } from '../../components/section-card';
import { PageLoading } from '../../components/page-loading';
import { useMessages } from '../../i18n/i18n';
import { lecturerMessages } from './messages';

/** 我的积分: what the lecturer may redeem now and all they have earned. */
export function PointsView() {
  const t = useMessages(lecturerMessages);
  const points = $api.useQuery('get', '/api/v1/points/me');
  if (points.isError) return <FailureAlert error={points.error} />;
  if (points.isPending) return <PageLoading />;
  return (
    <SectionCard title={t('pointsTitle')}>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 16 }}>
        <Statistic title={t('pointsNow')} value={points.data.points} />
        <Statistic title={t('pointsEarned')} value={points.data.earned} />
      </div>
      <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>{t('pointsHint')}</Typography.Paragraph>
    </SectionCard>
  );
}
