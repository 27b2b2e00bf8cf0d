import { Alert, Button, Modal, Space, Typography } from 'antd';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useMessages } from '../../i18n/i18n';
import { countyDateTime } from '../../time/county-time';
import { messages } from './messages';

export interface IssuedCode {
  endpointName: string;
  code: string;
  expiresAt: string;
}

/** The QR code the installer scans on site: the code itself, which is all the device sends to enroll. */
function useQrDataUrl(code: string): string | null {
  const [url, setUrl] = useState<{ code: string; url: string } | null>(null);
  useEffect(() => {
    let current = true;
    void QRCode.toDataURL(code, { margin: 1, width: 220, errorCorrectionLevel: 'M' }).then((dataUrl) => {
      if (current) setUrl({ code, url: dataUrl });
    });
    return () => {
      current = false;
    };
  }, [code]);
  return url?.code === code ? url.url : null;
}

/** Shown once, right after the server makes it: the server keeps only its hash. */
export function EnrollmentCodeModal({ issued, onClose }: { issued: IssuedCode | null; onClose: () => void }) {
  const t = useMessages(messages);
  return (
    <Modal
      open={!!issued}
      title={issued && t('codeTitle', { name: issued.endpointName })}
      onCancel={onClose}
      footer={<Button onClick={onClose}>{t('close')}</Button>}
      destroyOnHidden
    >
      {issued && <IssuedCodeBody issued={issued} />}
    </Modal>
  );
}

function IssuedCodeBody({ issued }: { issued: IssuedCode }) {
  const t = useMessages(messages);
  const qr = useQrDataUrl(issued.code);
  return (
    <Space direction="vertical" align="center" style={{ width: '100%' }}>
      <Alert type="info" showIcon title={t('codeHint')} />
      {qr && <img src={qr} alt={t('qrAlt', { code: issued.code })} width={220} height={220} />}
      <Typography.Text
        copyable
        strong
        style={{ fontSize: 28, fontFamily: 'monospace', letterSpacing: 2 }}
        data-testid="enrollment-code"
      >
        {issued.code}
      </Typography.Text>
      <Typography.Text>{t('codeExpires', { time: countyDateTime(issued.expiresAt) })}</Typography.Text>
    </Space>
  );
}
