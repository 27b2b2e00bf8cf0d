import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, List, Space, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import { $api } from '../../api/client';
import { CursorPager, useCursorPages } from '../../components/cursor-pager';
import { FailureAlert } from '../../components/failure';
import { Muted } from '../../components/muted';
import { useMessages } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { countyDateTime, duration } from '../../time/county-time';
import { programmeMessages } from './messages';

const PAGE_SIZE = 20;

/** Programmes in the user's scope, newest first; one opens to its segments. */
export function ProgrammeList() {
  const t = useMessages(programmeMessages);
  const { can } = useSession();
  const navigate = useNavigate();
  const pages = useCursorPages();
  const programmes = $api.useQuery('get', '/api/v1/programmes', {
    params: { query: { limit: PAGE_SIZE, ...(pages.after ? { after: pages.after } : {}) } },
  });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
          {t('title')}
        </Typography.Title>
        {can('programmes.manage') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('new')}>
            {t('newProgramme')}
          </Button>
        )}
      </Space>
      {programmes.isError && <FailureAlert error={programmes.error} />}
      <Card>
        <List
          aria-label={t('title')}
          loading={programmes.isPending}
          dataSource={programmes.data?.items ?? []}
          locale={{ emptyText: t('listEmpty') }}
          renderItem={(programme) => (
            <List.Item>
              <Space orientation="vertical" size={2} style={{ minWidth: 0 }}>
                <Link to={programme.id}>{programme.title}</Link>
                <Muted>
                  {[
                    t(`category_${programme.category}`),
                    t('segmentCount', { n: programme.segments.length }),
                    t('totalDuration', { value: duration(programme.durationMs / 1000) }),
                    t('createdAt', { time: countyDateTime(programme.createdAt) }),
                  ].join(' · ')}
                </Muted>
              </Space>
            </List.Item>
          )}
        />
        <CursorPager pages={pages} nextCursor={programmes.data?.nextCursor} />
      </Card>
    </Space>
  );
}
