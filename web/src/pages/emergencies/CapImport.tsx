import { ImportOutlined } from '@ant-design/icons';
import { Alert as Banner, App, Button, Upload } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { $api } from '../../api/client';
import { FailureBody } from '../../components/failure';
import { useLocale, useMessages } from '../../i18n/i18n';
import { capFailureText } from './cap-failure';
import { messages } from './messages';
import { useRefreshAlerts } from './queries';

/**
 * A CAP 1.2 file from the weather bureau or the province becomes a draft
 * here (or cancels the alert it names). A refused file creates nothing and
 * says why in Chinese.
 */
export function CapImport() {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const refresh = useRefreshAlerts();
  const [failure, setFailure] = useState<unknown>(null);
  const importCap = $api.useMutation('post', '/api/v1/emergencies/cap');

  const send = (file: File) => {
    setFailure(null);
    importCap.mutate(
      {
        // The file's bytes as they are: its XML declaration names the encoding (ISO-8859-1…) for the server to read.
        body: file as unknown as string,
        bodySerializer: (bytes) => bytes,
        headers: { 'content-type': 'application/cap+xml' },
      },
      {
        onSuccess: ({ action, emergency }) => {
          void message.success(t(action === 'cancel' ? 'importedCancel' : 'imported', { title: emergency.title }));
          void refresh();
          void navigate(`/emergencies/${emergency.id}`);
        },
        onError: setFailure,
      },
    );
  };

  return (
    <>
      <Upload
        accept=".xml,.cap,application/xml,application/cap+xml,text/xml"
        showUploadList={false}
        beforeUpload={(file) => {
          send(file);
          return false;
        }}
      >
        <Button icon={<ImportOutlined />} loading={importCap.isPending}>
          {t('importCap')}
        </Button>
      </Upload>
      {failure !== null && <CapFailure text={capFailureText(failure, locale)} onClose={() => setFailure(null)} />}
    </>
  );
}

function CapFailure({ text, onClose }: { text: ReturnType<typeof capFailureText>; onClose: () => void }) {
  return (
    <Banner
      type="error"
      showIcon
      role="alert"
      closable={{ onClose }}
      title={text.title}
      description={<FailureBody text={text} />}
      style={{ width: '100%' }}
    />
  );
}
