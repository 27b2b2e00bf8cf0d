import { Button, Space } from 'antd';
import { useState } from 'react';
import { defineMessages, useMessages } from '../i18n/i18n';

const messages = defineMessages({ previous: '上一页', next: '下一页' }, { previous: 'Previous', next: 'Next' });

/**
 * Paging through a list the API pages forward only (`after` = the previous
 * page's nextCursor): the cursors of the pages before this one are kept, so
 * "previous" is a step back. `reset` returns to the first page (a new filter).
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<string[]>([]);
  return {
    /** The query's `after` for the page shown, or nothing for the first. */
    after: cursors.at(-1),
    hasPrevious: cursors.length > 0,
    previous: () => setCursors((all) => all.slice(0, -1)),
    next: (cursor: string) => setCursors((all) => [...all, cursor]),
    reset: () => setCursors([]),
  };
}

/** Previous and next buttons, shown only when there is more than one page. */
export function CursorPager({
  pages,
  nextCursor,
}: {
  pages: ReturnType<typeof useCursorPages>;
  nextCursor: string | null | undefined;
}) {
  const t = useMessages(messages);
  if (!pages.hasPrevious && !nextCursor) return null;
  return (
    <Space style={{ marginTop: 12 }}>
      <Button disabled={!pages.hasPrevious} onClick={pages.previous}>
        {t('previous')}
      </Button>
      <Button disabled={!nextCursor} onClick={() => nextCursor && pages.next(nextCursor)}>
        {t('next')}
      </Button>
    </Space>
  );
}
