import { Alert, App } from 'antd';
import { useCallback } from 'react';
import { describeFailure, type FailureText } from '../api/errors';
import { useLocale } from '../i18n/i18n';

/** What happened, what to do, and the details: the body of every failure the console shows. */
export function FailureBody({ text }: { text: FailureText }) {
  return (
    <div>
      <div>{text.action}</div>
      {text.lines.map((line) => (
        <div key={line}>{line}</div>
      ))}
      {text.requestId && <div style={{ opacity: 0.7, fontSize: 12 }}>#{text.requestId}</div>}
    </div>
  );
}

/** A failure shown where it happened (a form that was refused, a list that did not load). */
export function FailureAlert({
  error,
  regionName,
}: {
  error: unknown;
  regionName?: (code: string) => string | undefined;
}) {
  const { locale } = useLocale();
  if (!error) return null;
  const text = describeFailure(error, locale, regionName);
  return <Alert type="error" showIcon role="alert" title={text.title} description={<FailureBody text={text} />} />;
}

/** `notify(error)`: a failure told in a notification, for actions whose form has closed. */
export function useFailureNotice(): (error: unknown, regionName?: (code: string) => string | undefined) => void {
  const { locale } = useLocale();
  const { notification } = App.useApp();
  return useCallback(
    (error, regionName) => {
      const text = describeFailure(error, locale, regionName);
      notification.error({ title: text.title, description: <FailureBody text={text} />, duration: 8 });
    },
    [locale, notification],
  );
}
