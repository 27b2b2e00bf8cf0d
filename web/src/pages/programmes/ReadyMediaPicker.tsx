import { PlusOutlined } from '@ant-design/icons';
import { Button, Input, List, Typography } from 'antd';
import { useState } from 'react';
import { $api } from '../../api/client';
import type { components } from '../../api/schema.gen';
import { FailureAlert } from '../../components/failure';
import { SectionCard } from '../../components/section-card';
import { useMessages } from '../../i18n/i18n';
import { duration } from '../../time/county-time';
import { programmeMessages } from './messages';

type Media = components['schemas']['Media'];
/** The newest ready media an operator picks from; older ones are found by title. */
const READY_LIMIT = 200;

/** Ready media only: the server refuses a programme with anything still processing or failed. */
export function ReadyMediaPicker({ onPick }: { onPick: (media: Media) => void }) {
  const t = useMessages(programmeMessages);
  const [search, setSearch] = useState('');
  const ready = $api.useQuery('get', '/api/v1/media', { params: { query: { status: 'ready', limit: READY_LIMIT } } });
  const wanted = search.trim().toLowerCase();
  const items = (ready.data?.items ?? []).filter((item) => !wanted || item.title.toLowerCase().includes(wanted));

  return (
    <SectionCard title={t('pickTitle')}>
      <Input.Search
        aria-label={t('pickSearch')}
        placeholder={t('pickSearch')}
        allowClear
        value={search}
        onChange={(event) => setSearch(event.target.value)}
      />
      {ready.isError && <FailureAlert error={ready.error} />}
      <List
        size="small"
        loading={ready.isPending}
        dataSource={items}
        locale={{ emptyText: t('pickEmpty') }}
        pagination={items.length > 8 ? { pageSize: 8, size: 'small', simple: true } : false}
        renderItem={(item) => (
          <List.Item
            actions={[
              <Button
                key="add"
                icon={<PlusOutlined />}
                aria-label={t('add', { title: item.title })}
                onClick={() => onPick(item)}
              >
                {t('addShort')}
              </Button>,
            ]}
          >
            <Typography.Text ellipsis style={{ minWidth: 0 }}>
              {item.title}
            </Typography.Text>
            <span style={{ marginLeft: 8, whiteSpace: 'nowrap' }}>{duration((item.durationMs ?? 0) / 1000)}</span>
          </List.Item>
        )}
      />
    </SectionCard>
  );
}
