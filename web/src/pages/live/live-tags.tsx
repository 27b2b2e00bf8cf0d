import { StatusTag } from '../../components/status-tag';
import { useMessages } from '../../i18n/i18n';
import type { LiveSession } from './live-api';
import { liveMessages } from './messages';

const STATUS = {
  starting: ['warn', 'statusStarting'],
  live: ['bad', 'statusLive'],
  ended: ['idle', 'statusEnded'],
} as const;

/** 紧急 in red, 普通 in blue: the first thing an approver looks at in the list. */
export function PriorityTag({ priority }: { priority: LiveSession['priority'] }) {
  const t = useMessages(liveMessages);
  return priority === 'urgent' ? (
    <StatusTag tone="bad">{t('priorityUrgent')}</StatusTag>
  ) : (
    <StatusTag tone="info">{t('priorityNormal')}</StatusTag>
  );
}

export function LiveStatusTag({ status }: { status: LiveSession['status'] }) {
  const t = useMessages(liveMessages);
  const [tone, key] = STATUS[status];
  return <StatusTag tone={tone}>{t(key)}</StatusTag>;
}
