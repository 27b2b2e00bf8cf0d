import { App, Button, Form, InputNumber, Select } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { $api } from '../../api/client';
import { useFailureNotice } from '../../components/failure';
import { RegionPicker } from '../../components/regions/RegionTree';
import { useRegion } from '../../components/regions/regions';
import { useMessages } from '../../i18n/i18n';
import { type CommandKind, confirmationNeeded, type IssueBody, KIND_LABEL } from './command-logic';
import { messages } from './messages';

interface Values {
  kind: CommandKind;
  volume?: number;
  regionCode: string;
  endpointId?: string;
  ttlMinutes?: number;
}

const KINDS = Object.keys(KIND_LABEL) as CommandKind[];
// The lifetimes offered; without one the server's COMMAND_TTL_MINUTES applies.
const TTL_CHOICES = [
  { minutes: 60, label: 'ttlHour' },
  { minutes: 360, label: 'ttlSixHours' },
  { minutes: 1440, label: 'ttlDay' },
  { minutes: 10080, label: 'ttlWeek' },
] as const;

/** What to tell which loudspeakers: a region (its every loudspeaker) or one loudspeaker in it. */
export function IssueForm({ onIssued }: { onIssued: (id: string) => void }) {
  const t = useMessages(messages);
  const notify = useFailureNotice();
  const { modal, message } = App.useApp();
  const queries = useQueryClient();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const regionCode = Form.useWatch('regionCode', form);
  const region = useRegion(regionCode);
  const endpoints = $api.useQuery(
    'get',
    '/api/v1/endpoints',
    { params: { query: { region: regionCode, limit: 1000 } } },
    { enabled: !!regionCode },
  );
  const issue = $api.useMutation('post', '/api/v1/endpoint-commands');
  const required = (field: string) => [{ required: true, message: t('required', { field }) }];

  const send = (values: Values) => {
    const body: IssueBody = {
      kind: values.kind,
      ...(values.kind === 'set-volume' ? { volume: values.volume } : {}),
      ...(values.endpointId ? { endpointId: values.endpointId } : { regionCode: values.regionCode }),
      ...(values.ttlMinutes ? { ttlMinutes: values.ttlMinutes } : {}),
    };
    const go = () =>
      issue.mutateAsync({ body }).then(
        async (command) => {
          void message.success(t('sent', { n: command.counts.total }));
          form.resetFields();
          onIssued(command.id);
          await queries.invalidateQueries({ queryKey: ['get', '/api/v1/endpoint-commands'] });
        },
        (error: unknown) => notify(error),
      );
    const reason = confirmationNeeded(values.kind, values.endpointId ? undefined : region.data?.level);
    if (!reason) return void go();
    modal.confirm({
      title: t('confirmTitle'),
      content:
        reason === 'county'
          ? t('confirmCounty', { kind: t(KIND_LABEL[values.kind]), name: region.data?.name ?? values.regionCode })
          : t('confirmRestart'),
      okText: t('send'),
      okButtonProps: { danger: true },
      onOk: go,
    });
  };

  return (
    <Form<Values> form={form} layout="vertical" onFinish={send} style={{ maxWidth: 640 }}>
      <Form.Item name="kind" label={t('fieldKind')} rules={required(t('fieldKind'))}>
        <Select options={KINDS.map((value) => ({ value, label: t(KIND_LABEL[value]) }))} />
      </Form.Item>
      {kind === 'set-volume' && (
        <Form.Item name="volume" label={t('fieldVolume')} rules={required(t('fieldVolume'))}>
          <InputNumber min={0} max={100} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      )}
      <Form.Item name="regionCode" label={t('fieldRegion')} rules={required(t('fieldRegion'))}>
        <RegionPicker onChange={() => form.setFieldValue('endpointId', undefined)} />
      </Form.Item>
      <Form.Item name="endpointId" label={t('fieldEndpoint')}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          disabled={!regionCode}
          loading={endpoints.isFetching}
          placeholder={t('allEndpoints')}
          options={(endpoints.data?.items ?? [])
            .filter((endpoint) => endpoint.status === 'enrolled')
            .map((endpoint) => ({ value: endpoint.id, label: endpoint.name }))}
        />
      </Form.Item>
      <Form.Item name="ttlMinutes" label={t('fieldTtl')} extra={t('ttlHelp')}>
        <Select
          allowClear
          placeholder={t('ttlDefault')}
          options={TTL_CHOICES.map(({ minutes, label }) => ({ value: minutes, label: t(label) }))}
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={issue.isPending} block>
        {t('send')}
      </Button>
    </Form>
  );
}
