import { CloseOutlined, InboxOutlined, StopOutlined } from '@ant-design/icons';
import { Button, Form, Input, List, Progress, Typography, Upload as FilePicker } from 'antd';
import { useState } from 'react';
import { Muted } from '../../components/muted';
import { SectionCard } from '../../components/section-card';
import { useMessages } from '../../i18n/i18n';
import { formatBytes } from './media-text';
import { MediaRefusal } from './MediaRefusal';
import { mediaMessages } from './messages';
import { type Upload, useUploads } from './use-uploads';

/** Recordings sent from this browser, each with its progress bar (long recordings take a while on a township's line). */
export function UploadPanel() {
  const t = useMessages(mediaMessages);
  const { uploads, start, cancel, dismiss } = useUploads();
  const [title, setTitle] = useState('');

  return (
    <SectionCard title={t('uploadTitle')}>
      <Form layout="vertical">
        <Form.Item label={t('uploadTitleLabel')} htmlFor="media-upload-title">
          <Input id="media-upload-title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
        </Form.Item>
      </Form>
      <FilePicker.Dragger
        multiple
        accept="audio/*,video/*,.mp3,.wav,.m4a,.aac,.flac,.ogg,.opus,.amr,.wma,.mp4"
        showUploadList={false}
        beforeUpload={(file) => {
          start(file, title.trim() || undefined);
          setTitle('');
          // The page sends the file itself (with progress); the picker only picks.
          return false;
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined aria-hidden />
        </p>
        <p className="ant-upload-text">{t('uploadHint')}</p>
      </FilePicker.Dragger>
      {uploads.length > 0 && (
        <List
          aria-label={t('uploadTitle')}
          dataSource={uploads}
          renderItem={(upload) => (
            <UploadRow upload={upload} onCancel={() => cancel(upload.key)} onDismiss={() => dismiss(upload.key)} />
          )}
        />
      )}
    </SectionCard>
  );
}

const PROGRESS_STATUS = { uploading: 'active', uploaded: 'success', failed: 'exception', cancelled: 'normal' } as const;

function UploadRow({ upload, onCancel, onDismiss }: { upload: Upload; onCancel: () => void; onDismiss: () => void }) {
  const t = useMessages(mediaMessages);
  const { state, name, percent } = upload;
  const label =
    state === 'uploading'
      ? t('uploading', { percent })
      : state === 'uploaded'
        ? t('uploaded')
        : state === 'cancelled'
          ? t('cancelled')
          : t('uploadFailed');
  const action =
    state === 'uploading' ? (
      <Button icon={<StopOutlined />} aria-label={t('cancelUpload', { name })} onClick={onCancel} />
    ) : (
      <Button type="text" icon={<CloseOutlined />} aria-label={t('dismiss', { name })} onClick={onDismiss} />
    );
  return (
    <List.Item actions={[action]}>
      <div style={{ width: '100%', minWidth: 0 }}>
        <Typography.Text strong ellipsis style={{ display: 'block' }}>
          {name}
        </Typography.Text>
        <Muted>
          {formatBytes(upload.bytes)} · <span role="status">{label}</span>
        </Muted>
        <Progress
          percent={percent}
          status={PROGRESS_STATUS[state]}
          aria-label={`${name} ${label}`}
        />
        {state === 'failed' && <MediaRefusal error={upload.error} />}
      </div>
    </List.Item>
  );
}
