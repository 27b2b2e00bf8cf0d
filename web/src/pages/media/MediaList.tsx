import { Button, List, Segmented, Space } from 'antd';
import { useState } from 'react';
import { $api } from '../../api/client';
import { FailureAlert } from '../../components/failure';
import { SectionCard } from '../../components/section-card';
import { useMessages } from '../../i18n/i18n';
import { MediaItem } from './MediaItem';
import { anyProcessing } from './media-text';
import { mediaMessages } from './messages';

type StatusFilter = 'all' | 'processing' | 'ready' | 'failed';
const PAGE_SIZE = 20;
/** Often enough that "processing" turns "ready" while the operator watches, rarely enough for a township's line. */
const POLL_MS = 3000;

/** The media in the user's scope, newest first, a page at a time; items being processed are watched until they settle. */
export function MediaList() {
  const t = useMessages(mediaMessages);
  const [status, setStatus] = useState<StatusFilter>('all');
  // The cursors of the pages before this one: the API pages forward only.
  const [cursors, setCursors] = useState<string[]>([]);
  const after = cursors.at(-1);
  const media = $api.useQuery(
    'get',
    '/api/v1/media',
    { params: { query: { limit: PAGE_SIZE, ...(status === 'all' ? {} : { status }), ...(after ? { after } : {}) } } },
    { refetchInterval: (query) => (anyProcessing(query.state.data?.items) ? POLL_MS : false) },
  );
  const nextCursor = media.data?.nextCursor;

  return (
    <SectionCard
      title={t('listTitle')}
      extra={
        <Segmented<StatusFilter>
          aria-label={t('listTitle')}
          value={status}
          onChange={(value) => {
            setStatus(value);
            setCursors([]);
          }}
          options={[
            { value: 'all', label: t('statusAll') },
            { value: 'processing', label: t('statusProcessing') },
            { value: 'ready', label: t('statusReady') },
            { value: 'failed', label: t('statusFailed') },
          ]}
        />
      }
    >
      {media.isError && <FailureAlert error={media.error} />}
      <List
        aria-label={t('listTitle')}
        loading={media.isPending}
        dataSource={media.data?.items ?? []}
        locale={{ emptyText: t('empty') }}
        renderItem={(item) => <MediaItem key={item.id} item={item} />}
      />
      {(cursors.length > 0 || nextCursor) && (
        <Space style={{ marginTop: 12 }}>
          <Button disabled={!cursors.length} onClick={() => setCursors((all) => all.slice(0, -1))}>
            {t('previousPage')}
          </Button>
          <Button disabled={!nextCursor} onClick={() => nextCursor && setCursors((all) => [...all, nextCursor])}>
            {t('nextPage')}
          </Button>
        </Space>
      )}
    </SectionCard>
  );
}
