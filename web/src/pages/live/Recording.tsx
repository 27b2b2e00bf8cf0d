import { Space, Typography } from 'antd';
import { Muted } from '../../components/muted';
import { useLocale, useMessages } from '../../i18n/i18n';
import { failureReason } from '../media/media-text';
import type { LiveSession } from './live-api';
import { liveMessages } from './messages';
import { awaitsRecording, useRecordingMedia } from './queries';

function RecordingMedia({ id, title }: { id: string; title: string }) {
  const t = useMessages(liveMessages);
  const { locale } = useLocale();
  const media = useRecordingMedia(id);
  const item = media.data;
  if (!item || item.status === 'processing') return <Muted>{t('recordingPending')}</Muted>;
  if (item.status === 'failed')
    return <Muted>{t('recordingFailed', { reason: failureReason(item.error ?? '', locale) })}</Muted>;
  return (
    <Space orientation="vertical" size={2} style={{ width: '100%' }}>
      <audio
        controls
        preload="none"
        src={item.url ?? undefined}
        aria-label={t('listenRecording', { title })}
        style={{ width: '100%', maxWidth: 420 }}
      />
      {item.url && (
        <Typography.Link href={item.url} target="_blank" rel="noopener">
          {t('openRecording')}
        </Typography.Link>
      )}
    </Space>
  );
}

/** An ended session's recording: pending while the server makes it, then a player and a link. */
export function Recording({ session }: { session: LiveSession }) {
  const t = useMessages(liveMessages);
  if (session.recordingMediaId) return <RecordingMedia id={session.recordingMediaId} title={session.title} />;
  if (session.status !== 'ended') return null;
  return <Muted>{t(awaitsRecording(session) ? 'recordingPending' : 'recordingNone')}</Muted>;
}
