import { Alert, Button, QRCode, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { $api } from '../../api/client';
import { FailureAlert } from '../../components/failure';
import { useMessages } from '../../i18n/i18n';
import { timeLeft } from './countdown';
import { messages } from './messages';

/** The redemption code: a QR code the counter scans, for ten minutes, with what is left of them. */
export function CounterCode() {
  const t = useMessages(messages);
  const issue = $api.useMutation('post', '/api/v1/volunteer/me/code');
  const [now, setNow] = useState(() => Date.now());
  const code = issue.data;

  useEffect(() => {
    if (!code) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [code]);

  const show = () => issue.mutate({}, { onSuccess: () => setNow(Date.now()) });
  if (!code)
    return (
      <>
        <Button type="primary" block size="large" loading={issue.isPending} onClick={show}>
          {t('showCode')}
        </Button>
        <FailureAlert error={issue.error} />
      </>
    );
  const { seconds: left, clock } = timeLeft(code.expiresAt, now);
  return (
    <Space direction="vertical" align="center" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
        {t('codeTitle')}
      </Typography.Title>
      {left > 0 ? (
        <>
          {/* antd hands aria-* props to the canvas, which is role="img": without a name axe finds it unnamed. */}
          <QRCode value={code.code} size={220} aria-label={t('qrLabel')} />
          <Typography.Text>{t('codeHint')}</Typography.Text>
          <Typography.Text strong aria-live="polite">
            {t('codeExpires', { time: clock })}
          </Typography.Text>
        </>
      ) : (
        <Alert type="warning" showIcon title={t('codeExpired')} />
      )}
      <Button onClick={show} loading={issue.isPending}>
        {t('newCode')}
      </Button>
    </Space>
  );
}
