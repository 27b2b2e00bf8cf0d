import { App, Button, Card, Flex, Form, Input, InputNumber, Radio, Select, Space, Switch, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import { $api } from '../../api/client';
import type { operations } from '../../api/schema.gen';
import { FailureAlert } from '../../components/failure';
import { RegionPicker } from '../../components/regions/RegionTree';
import { useMessages } from '../../i18n/i18n';
import { DrillBanner, SeverityTag } from './alert-tags';
import { CATEGORY_KEY } from './labels';
import { messages } from './messages';
import { useRefreshAlerts } from './queries';
import { SEVERITIES, type AlertLevel } from './severity';

type DraftBody = operations['EmergenciesController_draft']['requestBody']['content']['application/json'];

interface DraftValues {
  title: string;
  level: AlertLevel;
  category: DraftBody['category'];
  regionCodes: string[];
  source: 'text' | 'media';
  text?: string;
  mediaId?: string;
  repeat: number;
  hours: number;
  drill: boolean;
}

const VALID_FOR_HOURS = [1, 2, 4, 6, 12, 24, 48];

/** The ready recordings an alert may air instead of synthesised speech. */
function ReadyMediaSelect({ id, value, onChange }: { id?: string; value?: string; onChange?: (id: string) => void }) {
  const media = $api.useQuery('get', '/api/v1/media', { params: { query: { status: 'ready', limit: 100 } } });
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      loading={media.isPending}
      showSearch={{ optionFilterProp: 'label' }}
      options={(media.data?.items ?? []).map((item) => ({ value: item.id, label: item.title }))}
    />
  );
}

/**
 * An alert drafted by one person and approved by another: what it says (text
 * spoken by the server's Mandarin speech, or a ready recording), where, how
 * grave, and whether it is a drill.
 */
export function DraftForm() {
  const t = useMessages(messages);
  const navigate = useNavigate();
  const { message } = App.useApp();
  const refresh = useRefreshAlerts();
  const [form] = Form.useForm<DraftValues>();
  const source = Form.useWatch('source', form);
  const drill = Form.useWatch('drill', form);
  const draft = $api.useMutation('post', '/api/v1/emergencies');
  const required = (field: string) => [{ required: true, message: t('required', { field }) }];

  const submit = (values: DraftValues) =>
    draft.mutate(
      {
        body: {
          title: values.title.trim(),
          level: values.level,
          category: values.category,
          regionCodes: values.regionCodes,
          ...(values.source === 'text' ? { text: values.text!.trim() } : { mediaId: values.mediaId! }),
          repeat: values.repeat,
          expiresAt: new Date(Date.now() + values.hours * 3600_000).toISOString(),
          drill: values.drill,
        },
      },
      {
        onSuccess: (alert) => {
          void message.success(t('drafted'));
          void refresh();
          void navigate(`/emergencies/${alert.id}`);
        },
      },
    );

  return (
    <Flex vertical gap={12}>
      <Link to="/emergencies">{t('back')}</Link>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('newAlert')}
      </Typography.Title>
      {drill && <DrillBanner />}
      <Card>
        <Form<DraftValues>
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ level: 3, category: 'flood', source: 'text', repeat: 3, hours: 2, drill: false }}
          style={{ maxWidth: 720 }}
        >
          <Form.Item name="title" label={t('fieldTitle')} rules={required(t('fieldTitle'))}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="level" label={t('fieldLevel')}>
            <Radio.Group>
              <Space wrap>
                {SEVERITIES.map((severity) => (
                  <Radio key={severity.level} value={severity.level}>
                    <SeverityTag level={severity.level} />
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
          <Form.Item name="category" label={t('fieldCategory')}>
            <Select options={Object.entries(CATEGORY_KEY).map(([value, key]) => ({ value, label: t(key) }))} />
          </Form.Item>
          <Form.Item name="regionCodes" label={t('fieldRegions')} rules={required(t('fieldRegions'))}>
            <RegionPicker multiple />
          </Form.Item>
          <Form.Item name="source" label={t('fieldSource')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'text', label: t('sourceText') },
                { value: 'media', label: t('sourceMedia') },
              ]}
            />
          </Form.Item>
          {source === 'media' ? (
            <Form.Item name="mediaId" label={t('fieldMedia')} rules={required(t('fieldMedia'))}>
              <ReadyMediaSelect />
            </Form.Item>
          ) : (
            <Form.Item name="text" label={t('fieldText')} rules={required(t('fieldText'))}>
              <Input.TextArea rows={4} />
            </Form.Item>
          )}
          <Flex wrap gap={16}>
            <Form.Item name="repeat" label={t('fieldRepeat')}>
              <InputNumber min={1} max={10} />
            </Form.Item>
            <Form.Item name="hours" label={t('fieldExpires')} extra={t('startsHelp')}>
              <Select
                style={{ minWidth: 120 }}
                options={VALID_FOR_HOURS.map((n) => ({ value: n, label: t('hours', { n }) }))}
              />
            </Form.Item>
            <Form.Item name="drill" label={t('fieldDrill')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Flex>
          {draft.error && (
            <Form.Item>
              <FailureAlert error={draft.error} />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" loading={draft.isPending}>
            {t('submitDraft')}
          </Button>
        </Form>
      </Card>
    </Flex>
  );
}
