import { App, Button, Collapse, Flex, Form, Input, List, Modal, Popconfirm, Select, Space, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { $api } from '../../api/client';
import type { components } from '../../api/schema.gen';
import { FailureAlert } from '../../components/failure';
import { Muted } from '../../components/muted';
import { RegionPicker } from '../../components/regions/RegionTree';
import { StatusTag } from '../../components/status-tag';
import { useMessages } from '../../i18n/i18n';
import { countyDateTime } from '../../time/county-time';
import { EditDrawer } from './EditDrawer';
import { messages } from './messages';
import { DELIVERY_TONES, type Delivery, POLL_MS, statusKey, webhookUrlOk } from './notification-text';

type Webhook = components['schemas']['Webhook'];
type Format = Webhook['format'];
const WEBHOOKS_PATH = '/api/v1/webhooks';

interface WebhookValues {
  regionCode: string;
  name: string;
  url: string;
  format: Format;
}

/** 外发通道: the county's webhooks, their secrets shown once, a test send, and what went to each. */
export function WebhooksPanel() {
  const t = useMessages(messages);
  const { message } = App.useApp();
  const queries = useQueryClient();
  const webhooks = $api.useQuery('get', WEBHOOKS_PATH);
  const [editing, setEditing] = useState<Webhook | 'new' | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const refresh = () => void queries.invalidateQueries({ queryKey: ['get', WEBHOOKS_PATH] });
  const remove = $api.useMutation('delete', `${WEBHOOKS_PATH}/{id}`, { onSuccess: refresh });
  const rotate = $api.useMutation('post', `${WEBHOOKS_PATH}/{id}/secret`, {
    onSuccess: (created) => setSecret(created.secret),
  });
  const test = $api.useMutation('post', `${WEBHOOKS_PATH}/{id}/test`, {
    onSuccess: (answer) =>
      void (answer.delivered
        ? message.success(t('testOk', { status: answer.status ?? '' }))
        : message.error(t('testFailed', { error: answer.error ?? '' }))),
  });
  const path = (hook: Webhook) => ({ params: { path: { id: hook.id } } });

  return (
    <Flex vertical gap={8}>
      <Muted>{t('webhooksIntro')}</Muted>
      <FailureAlert error={webhooks.error ?? remove.error ?? rotate.error ?? test.error} />
      <div>
        <Button type="primary" onClick={() => setEditing('new')}>
          {t('newWebhook')}
        </Button>
      </div>
      <List<Webhook>
        loading={webhooks.isPending}
        dataSource={webhooks.data?.items ?? []}
        locale={{ emptyText: t('noWebhooks') }}
        renderItem={(hook) => (
          <List.Item>
            <Flex vertical gap={4} style={{ width: '100%', minWidth: 0 }}>
              <Space wrap size={4}>
                <strong>{hook.name}</strong>
                <StatusTag tone="idle">{t(hook.format === 'generic' ? 'format_generic' : 'format_sms_form')}</StatusTag>
              </Space>
              <Typography.Text style={{ overflowWrap: 'anywhere' }}>{hook.url}</Typography.Text>
              <Space wrap>
                <Button size="small" loading={test.isPending} onClick={() => test.mutate(path(hook))}>
                  {t('test')}
                </Button>
                <Button size="small" onClick={() => setEditing(hook)}>
                  {t('edit')}
                </Button>
                <Popconfirm title={t('rotateConfirm')} onConfirm={() => rotate.mutate(path(hook))}>
                  <Button size="small">{t('rotate')}</Button>
                </Popconfirm>
                <Popconfirm title={t('deleteConfirm')} onConfirm={() => remove.mutate(path(hook))}>
                  <Button size="small" danger>
                    {t('delete')}
                  </Button>
                </Popconfirm>
              </Space>
              <Collapse
                size="small"
                items={[{ key: 'log', label: t('deliveries'), children: <DeliveryLog webhookId={hook.id} /> }]}
              />
            </Flex>
          </List.Item>
        )}
      />
      {editing && (
        <WebhookForm
          webhook={editing === 'new' ? undefined : editing}
          onSaved={(created) => {
            setEditing(null);
            refresh();
            if (created) setSecret(created);
          }}
          onClose={() => setEditing(null)}
        />
      )}
      <Modal
        open={secret !== null}
        title={t('secretTitle')}
        onOk={() => setSecret(null)}
        onCancel={() => setSecret(null)}
        okText={t('close')}
        cancelButtonProps={{ style: { display: 'none' } }}
      >
        <p>{t('secretText')}</p>
        <Typography.Paragraph copyable code style={{ overflowWrap: 'anywhere' }}>
          {secret}
        </Typography.Paragraph>
      </Modal>
    </Flex>
  );
}

function DeliveryLog({ webhookId }: { webhookId: string }) {
  const t = useMessages(messages);
  const log = $api.useQuery(
    'get',
    `${WEBHOOKS_PATH}/{id}/deliveries`,
    { params: { path: { id: webhookId }, query: { limit: 50 } } },
    { refetchInterval: POLL_MS },
  );
  return (
    <>
      <FailureAlert error={log.error} />
      <List<Delivery>
        size="small"
        loading={log.isPending}
        dataSource={log.data?.items ?? []}
        locale={{ emptyText: t('noDeliveries') }}
        renderItem={(row) => (
          <List.Item>
            <Flex vertical gap={2} style={{ minWidth: 0 }}>
              <Space wrap size={4}>
                <StatusTag tone={DELIVERY_TONES[row.status]}>{t(statusKey(row.status))}</StatusTag>
                <span>{row.title}</span>
                <Muted>{countyDateTime(row.createdAt)}</Muted>
              </Space>
              <Muted>
                {t('attempts', { n: row.attempts })}
                {row.lastStatus !== null && ` · HTTP ${row.lastStatus}`}
                {row.nextAttemptAt && ` · ${t('nextAttempt', { time: countyDateTime(row.nextAttemptAt) })}`}
                {row.releaseAt && ` · ${t('releaseAt', { time: countyDateTime(row.releaseAt) })}`}
              </Muted>
              {row.lastError && row.status !== 'delivered' && (
                <Typography.Text type="danger" style={{ overflowWrap: 'anywhere' }}>
                  {t('lastError', { error: row.lastError })}
                </Typography.Text>
              )}
            </Flex>
          </List.Item>
        )}
      />
    </>
  );
}

function WebhookForm({
  webhook,
  onSaved,
  onClose,
}: {
  webhook: Webhook | undefined;
  onSaved: (secret: string | null) => void;
  onClose: () => void;
}) {
  const t = useMessages(messages);
  const [form] = Form.useForm<WebhookValues>();
  const create = $api.useMutation('post', WEBHOOKS_PATH, { onSuccess: (created) => onSaved(created.secret) });
  const update = $api.useMutation('put', `${WEBHOOKS_PATH}/{id}`, { onSuccess: () => onSaved(null) });
  const required = (field: 'fieldName' | 'fieldRegion') => ({
    required: true,
    whitespace: true,
    message: t('errorRequired', { field: t(field) }),
  });
  const submit = (values: WebhookValues) => {
    const body = { name: values.name.trim(), url: values.url.trim(), format: values.format };
    if (webhook) update.mutate({ params: { path: { id: webhook.id } }, body });
    else create.mutate({ body: { regionCode: values.regionCode, ...body } });
  };
  return (
    <EditDrawer
      title={t(webhook ? 'editWebhook' : 'newWebhook')}
      saving={create.isPending || update.isPending}
      onSave={() => form.submit()}
      onClose={onClose}
    >
      <Form<WebhookValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={webhook ?? { format: 'generic' }}
      >
        <FailureAlert error={create.error ?? update.error} />
        {!webhook && (
          <Form.Item name="regionCode" label={t('fieldRegion')} rules={[required('fieldRegion')]}>
            <RegionPicker />
          </Form.Item>
        )}
        <Form.Item name="name" label={t('fieldName')} rules={[required('fieldName')]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="url"
          label={t('fieldUrl')}
          rules={[
            {
              validator: (_, value: string | undefined) =>
                value && webhookUrlOk(value) ? Promise.resolve() : Promise.reject(new Error(t('errorUrl'))),
            },
          ]}
        >
          <Input inputMode="url" placeholder="https://" />
        </Form.Item>
        <Form.Item name="format" label={t('fieldFormat')}>
          <Select
            options={(['generic', 'sms_form'] as const).map((format) => ({
              value: format,
              label: t(`format_${format}`),
            }))}
          />
        </Form.Item>
      </Form>
    </EditDrawer>
  );
}
