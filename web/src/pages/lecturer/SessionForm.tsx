import { Alert, App, Card, Empty, Form, Input, InputNumber, Radio, Select, Typography } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { $api } from '../../api/client';
import { FailureAlert } from '../../components/failure';
import { PageLoading } from '../../components/page-loading';
import { RegionPicker } from '../../components/regions/RegionTree';
import { useMessages } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { countyClock, countyDate, countyInstant } from '../../time/county-time';
import type { Order } from './deadlines';
import { lecturerMessages } from './messages';
import { type Team, useMyTeams, useRefreshWork } from './queries';
import { RecordingField } from './RecordingField';
import { useRegionName } from './RegionName';
import { required, SubmitBlock } from './SubmitBlock';

interface SessionValues {
  teamId: string;
  topicId: string;
  regionCode: string;
  mode: 'onsite' | 'on_air';
  date: string;
  time: string;
  plannedMinutes: number;
  lecturerIds: string[];
  notes?: string;
  recordingMediaId?: string;
}

/** 登记宣讲: opened from an accepted order (?order=<id>) it comes filled in with the order's topic, village and team. */
export function SessionForm() {
  const t = useMessages(lecturerMessages);
  const [params] = useSearchParams();
  const orderId = params.get('order');
  const teams = useMyTeams();
  const order = $api.useQuery(
    'get',
    '/api/v1/orders/{id}',
    { params: { path: { id: orderId ?? '' } } },
    { enabled: !!orderId },
  );
  if (teams.isError || order.isError) return <FailureAlert error={teams.error ?? order.error} />;
  if (teams.isPending || (orderId && order.isPending)) return <PageLoading />;
  if (!teams.mine.length) return <Empty description={t('noTeam')} />;
  return <RegisterForm key={orderId ?? 'new'} teams={teams.mine} order={orderId ? order.data : undefined} />;
}

function RegisterForm({ teams, order }: { teams: Team[]; order?: Order }) {
  const t = useMessages(lecturerMessages);
  const { user } = useSession();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const refresh = useRefreshWork();
  const [form] = Form.useForm<SessionValues>();
  const mode = Form.useWatch('mode', form);
  const teamId = Form.useWatch('teamId', form);
  const recording = Form.useWatch('recordingMediaId', form);
  const topics = $api.useQuery('get', '/api/v1/topics');
  const register = $api.useMutation('post', '/api/v1/lecture-sessions');
  const village = useRegionName(order?.regionCode);
  const team = teams.find((candidate) => candidate.id === teamId);
  const now = new Date();

  const submit = (values: SessionValues) =>
    register
      .mutateAsync({
        body: {
          topicId: values.topicId,
          mode: values.mode,
          regionCode: values.regionCode,
          startsAt: countyInstant(values.date, values.time),
          plannedMinutes: values.plannedMinutes,
          lecturerIds: values.lecturerIds,
          teamId: values.teamId,
          notes: values.notes?.trim() || undefined,
          recordingMediaId: values.mode === 'on_air' ? values.recordingMediaId : undefined,
          orderId: order?.id,
        },
      })
      .then(async (session) => {
        void message.success(t('registered'));
        await refresh();
        void navigate(`/lecturer/sessions/${session.id}`);
      })
      // Told beneath the button by FailureAlert, from the mutation's error.
      .catch(() => undefined);

  return (
    <Card>
      <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }}>
        {t('registerTitle')}
      </Typography.Title>
      {order && (
        <Alert type="info" style={{ marginBottom: 12 }} title={t('forOrder', { topic: order.topicTitle, village })} />
      )}
      <Form<SessionValues>
        form={form}
        name="lecture-session"
        layout="vertical"
        size="large"
        onFinish={submit}
        initialValues={{
          teamId: order?.teamId ?? (teams.length === 1 ? teams[0].id : undefined),
          topicId: order?.topicId,
          regionCode: order?.regionCode,
          mode: 'onsite',
          date: countyDate(now),
          time: countyClock(now),
          plannedMinutes: 60,
          lecturerIds: user ? [user.id] : [],
        }}
      >
        <Form.Item name="teamId" label={t('team')} rules={required(t('teamRequired'))}>
          <Select disabled={!!order} options={teams.map((item) => ({ value: item.id, label: item.name }))} />
        </Form.Item>
        <Form.Item name="topicId" label={t('topic')} rules={required(t('topicRequired'))}>
          <Select
            disabled={!!order}
            loading={topics.isPending}
            showSearch={{ optionFilterProp: 'label' }}
            options={(topics.data?.items ?? []).map((topic) => ({ value: topic.id, label: topic.title }))}
          />
        </Form.Item>
        {order ? (
          // The order's village is fixed: shown by name, sent by code.
          <>
            <Form.Item label={t('village')} htmlFor="lecture-session-village">
              <Input id="lecture-session-village" disabled value={village} />
            </Form.Item>
            <Form.Item name="regionCode" hidden>
              <Input />
            </Form.Item>
          </>
        ) : (
          <Form.Item name="regionCode" label={t('village')} rules={required(t('villageRequired'))}>
            <RegionPicker />
          </Form.Item>
        )}
        <Form.Item name="mode" label={t('mode')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'onsite', label: t('modeOnsite') },
              { value: 'on_air', label: t('modeOnAir') },
            ]}
          />
        </Form.Item>
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8 }}>
          <Form.Item name="date" label={t('date')} rules={required(t('dateRequired'))}>
            <Input type="date" />
          </Form.Item>
          <Form.Item name="time" label={t('time')} rules={required(t('timeRequired'))}>
            <Input type="time" />
          </Form.Item>
        </div>
        <Form.Item name="plannedMinutes" label={t('plannedMinutes')} rules={required(t('minutesRequired'))}>
          <InputNumber min={1} max={600} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="lecturerIds" label={t('lecturers')} rules={required(t('lecturersRequired'))}>
          <Select
            mode="multiple"
            options={(team?.members ?? []).map((member) => ({
              value: member.userId,
              label: member.displayName ?? member.username,
            }))}
          />
        </Form.Item>
        {mode === 'on_air' && (
          <Form.Item name="recordingMediaId" label={t('recording')} rules={required(t('needsRecording'))}>
            <RecordingField />
          </Form.Item>
        )}
        <Form.Item name="notes" label={t('notes')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <SubmitBlock
          label={t('submit')}
          pending={register.isPending}
          blockedBy={mode === 'on_air' && !recording ? t('needsRecording') : null}
          error={register.error}
        />
      </Form>
    </Card>
  );
}
