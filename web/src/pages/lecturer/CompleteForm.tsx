import { App, Form, Input, InputNumber } from 'antd';
import { $api } from '../../api/client';
import { SectionCard } from '../../components/section-card';
import { useMessages } from '../../i18n/i18n';
import { lecturerMessages } from './messages';
import { type Session, useRefreshWork } from './queries';
import { required, SubmitBlock } from './SubmitBlock';
import { useNow } from './use-now';

interface CompleteValues {
  actualMinutes: number;
  attendance: number;
  names?: string;
}

/** Names typed one a line, or with commas or 、 between them. */
export function namesIn(text: string | undefined): string[] {
  return [
    ...new Set(
      (text ?? '')
        .split(/[\n,，、;；]+/)
        .map((name) => name.trim())
        .filter(Boolean),
    ),
  ];
}

/** Minutes since the session began (its planned length before it has), within what the server takes. */
function minutesSoFar(session: Session): number {
  const since = Math.round((Date.now() - new Date(session.startsAt).getTime()) / 60_000);
  return Math.min(600, Math.max(1, since > 0 ? since : session.plannedMinutes));
}

/**
 * 完成宣讲: how long it took and how many listened. Volunteers who signed in
 * by the QR code are counted by the server from their own times; only
 * people without a phone are named here.
 */
export function CompleteForm({ session }: { session: Session }) {
  const t = useMessages(lecturerMessages);
  const { message } = App.useApp();
  const refresh = useRefreshWork();
  const complete = $api.useMutation('post', '/api/v1/lecture-sessions/{id}/complete');
  const begun = new Date(session.startsAt).getTime() <= useNow(10_000).getTime();

  const submit = (values: CompleteValues) =>
    complete
      .mutateAsync({
        params: { path: { id: session.id } },
        body: { actualMinutes: values.actualMinutes, attendance: values.attendance, signIns: namesIn(values.names) },
      })
      .then(async () => {
        void message.success(t('completed'));
        await refresh();
      })
      .catch(() => undefined);

  return (
    <SectionCard title={t('completeTitle')}>
      <Form<CompleteValues>
        name="complete-session"
        layout="vertical"
        size="large"
        onFinish={submit}
        initialValues={{ actualMinutes: minutesSoFar(session) }}
      >
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8 }}>
          <Form.Item name="actualMinutes" label={t('actualMinutes')} rules={required(t('minutesRequired'))}>
            <InputNumber min={1} max={600} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="attendance" label={t('attendance')} rules={required(t('attendanceRequired'))}>
            <InputNumber min={0} max={100000} style={{ width: '100%' }} />
          </Form.Item>
        </div>
        <Form.Item name="names" label={t('names')} extra={t('namesHint')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <SubmitBlock
          label={t('complete')}
          pending={complete.isPending}
          blockedBy={begun ? null : t('tooEarly')}
          error={complete.error}
        />
      </Form>
    </SectionCard>
  );
}
