import { List, Segmented } from 'antd';
import { useState } from 'react';
import { $api } from '../../api/client';
import { CursorPager, useCursorPages } from '../../components/cursor-pager';
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
  const pages = useCursorPages();
  const after = pages.after;
  const media = $api.useQuery(
    'get',
    '/api/v1/media',
    { params: { query: { limit: PAGE_SIZE, ...(status === 'all' ? {} : { status }), ...(after ? { after } : {}) } } },
    { refetchInterval: (query) => (anyProcessing(query.state.data?.items) ? POLL_MS : false) },
  );

  return (
    <SectionCard
      title={t('listTitle')}
      extra={
        <Segmented<StatusFilter>
          aria-label={t('listTitle')}
          value={status}
          onChange={(value) => {
            setStatus(value);
            pages.reset();
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
      <CursorPager pages={pages} nextCursor={media.data?.nextCursor} />
    </SectionCard>
  );
}
