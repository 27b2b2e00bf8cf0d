import { AudioOutlined, DeleteOutlined, StopOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Progress, Space, Typography, Upload } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { $api } from '../../api/client';
import { sendForm } from '../../api/upload';
import { useLocale, useMessages } from '../../i18n/i18n';
import { countyDateTime, duration } from '../../time/county-time';
import { failureReason, type Media } from '../media/media-text';
import { MediaRefusal } from '../media/MediaRefusal';
import { lecturerMessages } from './messages';
import { useElapsed } from '../../time/use-elapsed';
import { useRecorder } from './use-recorder';

const BIG = { height: 44 };
const PROCESSING_POLL_MS = 2_000;

type Sent =
  | { phase: 'none' }
  | { phase: 'sending'; percent: number }
  | { phase: 'sent'; id: string }
  | { phase: 'refused'; error: unknown };

/**
 * An on-air session's recording: recorded here with the microphone (elapsed
 * time, stop, listen before sending) or a file chosen from the phone, sent
 * through the media upload, and given to the form as its media id once the
 * server has made it ready to air.
 */
export function RecordingField({
  id,
  onChange,
}: {
  id?: string;
  value?: string;
  onChange?: (mediaId?: string) => void;
}) {
  const t = useMessages(lecturerMessages);
  const { recording, supported, start, stop, reset } = useRecorder();
  const elapsed = useElapsed(recording.phase === 'recording' ? recording.startedAt : null);
  const [sent, setSent] = useState<Sent>({ phase: 'none' });

  const send = (file: File) => {
    setSent({ phase: 'sending', percent: 0 });
    onChange?.(undefined);
    const form = new FormData();
    form.append('title', t('recordingTitle', { at: countyDateTime(new Date()) }));
    form.append('file', file, file.name);
    sendForm<Media>('/api/v1/media', form, {
      onProgress: ({ percent }) => setSent({ phase: 'sending', percent }),
    }).then(
      (media) => setSent({ phase: 'sent', id: media.id }),
      (error: unknown) => setSent({ phase: 'refused', error }),
    );
  };

  return (
    <Space id={id} orientation="vertical" style={{ width: '100%' }}>
      {!supported && <Alert type="info" showIcon title={t('micMissing')} />}
      {recording.phase === 'refused' && (
        <Alert type="warning" showIcon role="alert" title={t('micRefused', { reason: recording.reason })} />
      )}
      {recording.phase === 'recording' ? (
        <Space wrap>
          <Typography.Text strong role="timer" aria-live="off" style={{ color: '#a8071a' }}>
            ● {t('recordingFor', { elapsed: duration(elapsed) })}
          </Typography.Text>
          <Button danger type="primary" icon={<StopOutlined />} style={BIG} onClick={stop}>
            {t('stop')}
          </Button>
        </Space>
      ) : recording.phase === 'recorded' ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <audio controls src={recording.url} aria-label={t('preview')} style={{ width: '100%' }} />
          <Space wrap>
            <Button
              type="primary"
              icon={<UploadOutlined />}
              style={BIG}
              disabled={sent.phase === 'sending'}
              onClick={() => send(recording.file)}
            >
              {t('useRecording')}
            </Button>
            <Button
              icon={<DeleteOutlined />}
              style={BIG}
              disabled={sent.phase === 'sending'}
              onClick={() => {
                reset();
                setSent({ phase: 'none' });
                onChange?.(undefined);
              }}
            >
              {t('discard')}
            </Button>
          </Space>
        </Space>
      ) : (
        <Space wrap>
          {supported && (
            <Button icon={<AudioOutlined />} style={BIG} onClick={() => void start()}>
              {t('record')}
            </Button>
          )}
          <Upload
            accept="audio/*,.mp3,.wav,.m4a,.aac,.amr,.ogg,.opus,.webm"
            showUploadList={false}
            beforeUpload={(file) => {
              send(file);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} style={BIG}>
              {t('pickFile')}
            </Button>
          </Upload>
        </Space>
      )}
      {sent.phase === 'sending' && (
        <Progress percent={sent.percent} aria-label={t('uploading', { percent: sent.percent })} />
      )}
      {sent.phase === 'refused' && <MediaRefusal error={sent.error} />}
      {sent.phase === 'sent' && <Processing mediaId={sent.id} onReady={(mediaId) => onChange?.(mediaId)} />}
    </Space>
  );
}

/** The uploaded recording while the server makes its broadcast rendition, until it is ready or has failed. */
function Processing({ mediaId, onReady }: { mediaId: string; onReady: (mediaId: string) => void }) {
  const t = useMessages(lecturerMessages);
  const { locale } = useLocale();
  const media = $api.useQuery(
    'get',
    '/api/v1/media/{id}',
    { params: { path: { id: mediaId } } },
    { refetchInterval: (query) => (query.state.data?.status === 'processing' ? PROCESSING_POLL_MS : false) },
  );
  const status = media.data?.status;
  // Told once: the form's value then stays, whatever re-renders follow.
  const told = useRef<string | null>(null);
  useEffect(() => {
    if (status !== 'ready' || told.current === mediaId) return;
    told.current = mediaId;
    onReady(mediaId);
  }, [status, mediaId, onReady]);
  if (status === 'ready')
    return (
      <Alert
        type="success"
        showIcon
        role="status"
        title={t('ready', { length: duration((media.data?.durationMs ?? 0) / 1000) })}
      />
    );
  if (status === 'failed')
    return (
      <Alert
        type="error"
        showIcon
        role="alert"
        title={t('failed', { reason: failureReason(media.data?.error ?? '', locale) })}
      />
    );
  return <Typography.Text role="status">{t('processing')}</Typography.Text>;
}
