import { QRCode, Typography } from 'antd';
import { useMessages } from '../../i18n/i18n';
import { lecturerMessages } from './messages';

/**
 * A link of this console as a QR code held up to be scanned from another
 * phone, with the address beneath it in words (for anyone who cannot scan,
 * and for a screen reader, which cannot read the picture).
 */
export function LinkQr({ path, size }: { path: string; size: number }) {
  const t = useMessages(lecturerMessages);
  const url = new URL(path, window.location.origin).href;
  return (
    <figure data-qr-value={url} style={{ margin: 0, display: 'flex', flexDirection: 'column', alignItems: 'center' }}>
      <QRCode value={url} size={size} errorLevel="M" bordered={false} aria-hidden />
      <figcaption style={{ maxWidth: size, wordBreak: 'break-all', textAlign: 'center' }}>
        <Typography.Text style={{ fontSize: 12 }}>{t('qrLabel', { url })}</Typography.Text>
      </figcaption>
    </figure>
  );
}
