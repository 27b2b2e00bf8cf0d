import { Alert } from 'antd';
import { FailureAlert } from '../../components/failure';
import { useMessages } from '../../i18n/i18n';
import { quotaNote } from './media-text';
import { mediaMessages } from './messages';

/** Why an upload or a text-to-speech request was refused; a quota names its figures and when it resets. */
export function MediaRefusal({ error }: { error: unknown }) {
  const t = useMessages(mediaMessages);
  const quota = quotaNote(error, t);
  return quota ? <Alert type="error" showIcon role="alert" title={quota} /> : <FailureAlert error={error} />;
}
