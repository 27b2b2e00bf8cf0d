import { AudioOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Radio, Space } from 'antd';
import { FailureBody } from '../../components/failure';
import { RegionPicker } from '../../components/regions/RegionTree';
import { useLocale, useMessages } from '../../i18n/i18n';
import type { LiveStart } from './live-api';
import { startFailure } from './live-logic';
import { liveMessages } from './messages';

const BIG = { height: 48, fontSize: 18 };

/** What a refused start looks like: the microphone, or the server (a region live already, out of scope…). */
export type StartProblem = { kind: 'microphone'; reason: string } | { kind: 'server'; error: unknown };

/** Where to speak, under what title, and whether it may cut the programme short. */
export function SpeakForm({
  supported,
  busy,
  problem,
  onStart,
}: {
  supported: boolean;
  busy: boolean;
  problem: StartProblem | null;
  onStart: (body: LiveStart) => void;
}) {
  const t = useMessages(liveMessages);
  const { locale } = useLocale();
  const [form] = Form.useForm<LiveStart>();
  const priority = Form.useWatch('priority', form);
  const required = (field: string) => [{ required: true, message: t('required', { field }) }];
  const refusal = problem?.kind === 'server' ? startFailure(problem.error, locale) : null;

  return (
    <Form<LiveStart>
      form={form}
      layout="vertical"
      initialValues={{ priority: 'normal' }}
      onFinish={(values) => onStart({ ...values, title: values.title.trim() })}
      style={{ maxWidth: 640 }}
    >
      <Form.Item name="title" label={t('fieldTitle')} rules={[...required(t('fieldTitle')), { whitespace: true }]}>
        <Input maxLength={100} placeholder={t('titlePlaceholder')} />
      </Form.Item>
      <Form.Item name="regionCodes" label={t('fieldRegions')} rules={required(t('fieldRegions'))}>
        <RegionPicker multiple />
      </Form.Item>
      <Form.Item
        name="priority"
        label={t('fieldPriority')}
        extra={t(priority === 'urgent' ? 'urgentHelp' : 'normalHelp')}
      >
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          options={[
            { value: 'normal', label: t('priorityNormal') },
            { value: 'urgent', label: t('priorityUrgent') },
          ]}
        />
      </Form.Item>
      <Space orientation="vertical" style={{ width: '100%' }}>
        {!supported && <Alert type="info" showIcon title={t('micMissing')} />}
        {problem?.kind === 'microphone' && (
          <Alert type="warning" showIcon role="alert" title={t('micRefused', { reason: problem.reason })} />
        )}
        {refusal && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={refusal.title}
            description={<FailureBody text={refusal} />}
          />
        )}
        <Button
          type="primary"
          htmlType="submit"
          icon={<AudioOutlined />}
          style={BIG}
          block
          loading={busy}
          disabled={!supported}
        >
          {t('speak')}
        </Button>
      </Space>
    </Form>
  );
}
