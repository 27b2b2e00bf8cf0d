import { ArrowLeftOutlined } from '@ant-design/icons';
import { List, Space, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { $api } from '../../api/client';
import { FailureAlert } from '../../components/failure';
import { Muted } from '../../components/muted';
import { PageLoading } from '../../components/page-loading';
import { SectionCard } from '../../components/section-card';
import { useMessages } from '../../i18n/i18n';
import { countyDateTime, duration } from '../../time/county-time';
import { programmeMessages } from './messages';

/** A saved programme: its segments in airing order and its length, as it will be scheduled. */
export function ProgrammeDetail() {
  const t = useMessages(programmeMessages);
  const { id = '' } = useParams();
  const programme = $api.useQuery('get', '/api/v1/programmes/{id}', { params: { path: { id } } });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Link to=".." relative="path">
        <ArrowLeftOutlined aria-hidden /> {t('back')}
      </Link>
      {programme.isError && <FailureAlert error={programme.error} />}
      {programme.isPending && <PageLoading />}
      {programme.data && (
        <>
          <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
            {programme.data.title}
          </Typography.Title>
          <Muted>
            {[
              t(`category_${programme.data.category}`),
              t('totalDuration', { value: duration(programme.data.durationMs / 1000) }),
              t('createdAt', { time: countyDateTime(programme.data.createdAt) }),
            ].join(' · ')}
          </Muted>
          <SectionCard title={t('segmentsOf')}>
            <List
              aria-label={t('segmentsOf')}
              dataSource={programme.data.segments}
              renderItem={(segment, index) => (
                <List.Item extra={duration(segment.durationMs / 1000)}>
                  {index + 1}. {segment.title}
                </List.Item>
              )}
            />
          </SectionCard>
        </>
      )}
    </Space>
  );
}
