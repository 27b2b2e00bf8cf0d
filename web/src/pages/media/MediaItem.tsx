import { Alert, Badge, List, Progress, Space, Typography } from 'antd';
import { Muted } from '../../components/muted';
import { useLocale, useMessages } from '../../i18n/i18n';
import { countyDateTime, duration } from '../../time/county-time';
import { failureReason, formatBytes, type Media } from './media-text';
import { mediaMessages } from './messages';

const BADGE = { processing: 'processing', ready: 'success', failed: 'error' } as const;
const STATUS_LABEL = { processing: 'statusProcessing', ready: 'statusReady', failed: 'statusFailed' } as const;

const SOURCE_LABELS = { upload: 'sourceUpload', tts: 'sourceTts', live: 'sourceLive', ebd: 'sourceEbd' } as const;

/** One medium: what it is, where it stands, why it failed, and a player once it is ready. */
export function MediaItem({ item }: { item: Media }) {
  const t = useMessages(mediaMessages);
  const { locale } = useLocale();
  const facts = [
    t(SOURCE_LABELS[item.source]),
    item.durationMs !== null && t('duration', { value: duration(item.durationMs / 1000) }),
    item.bytes !== null && t('size', { value: formatBytes(item.bytes) }),
    item.loudness && t('loudness', { lufs: item.loudness.outputLufs.toFixed(1) }),
    t('createdAt', { time: countyDateTime(item.createdAt) }),
  ].filter(Boolean);
  const reason = item.error ? failureReason(item.error, locale) : null;

  return (
    <List.Item>
      <Space orientation="vertical" size={4} style={{ width: '100%', minWidth: 0 }}>
        <Space wrap size={[12, 0]}>
          <Typography.Text strong>{item.title}</Typography.Text>
          <Badge
            status={BADGE[item.status]}
            text={
              item.status === 'processing' && item.progress !== undefined
                ? t('processingPercent', { percent: item.progress })
                : t(STATUS_LABEL[item.status])
            }
          />
        </Space>
        <Muted>{facts.join(' · ')}</Muted>
        {item.status === 'processing' && item.progress !== undefined && (
          <Progress percent={item.progress} size="small" aria-label={t('processingPercent', { percent: item.progress })} />
        )}
        {item.status === 'failed' && reason && (
          <Alert
            type="error"
            showIcon
            title={t('failedBecause', { reason })}
            description={
              <>
                <div>{t('failedNext')}</div>
                {reason !== item.error && <Muted>{t('serverSaid', { message: item.error ?? '' })}</Muted>}
              </>
            }
          />
        )}
        {item.status === 'ready' && item.url && (
          <audio
            controls
            preload="none"
            src={item.url}
            aria-label={t('listen', { title: item.title })}
            style={{ width: '100%', maxWidth: 480 }}
          />
        )}
      </Space>
    </List.Item>
  );
}
