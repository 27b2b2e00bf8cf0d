import { Button, Checkbox, Flex, Form, Input, List, Popconfirm, Select, Space, Switch } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { $api } from '../../api/client';
import type { components } from '../../api/schema.gen';
import { FailureAlert } from '../../components/failure';
import { Muted } from '../../components/muted';
import { RegionPicker } from '../../components/regions/RegionTree';
import { StatusTag } from '../../components/status-tag';
import { common } from '../../i18n/common';
import { useMessages } from '../../i18n/i18n';
import { EditDrawer } from './EditDrawer';
import { messages } from './messages';
import { KINDS, kindKey, type Kind } from './notification-text';

type Rule = components['schemas']['NotificationRule'];
type Role = Rule['roles'][number];
const ROLES: Role[] = ['admin', 'operator', 'approver', 'lecturer'];
const ROLE_KEY = {
  admin: 'roleAdmin',
  operator: 'roleOperator',
  approver: 'roleApprover',
  lecturer: 'roleLecturer',
} as const;
const RULES_PATH = '/api/v1/notification-rules';
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

interface RuleValues {
  regionCode: string;
  kind: Kind;
  roles: Role[];
  webhookId?: string;
  quietFrom?: string;
  quietUntil?: string;
  enabled: boolean;
}

/** 通知规则: who sees which kind in a region's subtree, which webhook is told, and its quiet hours. */
export function RulesPanel() {
  const t = useMessages(messages);
  const c = useMessages(common);
  const queries = useQueryClient();
  const rules = $api.useQuery('get', RULES_PATH);
  const webhooks = $api.useQuery('get', '/api/v1/webhooks');
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const refresh = () => void queries.invalidateQueries({ queryKey: ['get', RULES_PATH] });
  const remove = $api.useMutation('delete', `${RULES_PATH}/{id}`, { onSuccess: refresh });
  const roles = (list: Role[]) => list.map((role) => c(ROLE_KEY[role])).join('、') || t('consoleOnly');

  return (
    <Flex vertical gap={8}>
      <Muted>{t('rulesIntro')}</Muted>
      <FailureAlert error={rules.error ?? remove.error} />
      <div>
        <Button type="primary" onClick={() => setEditing('new')}>
          {t('newRule')}
        </Button>
      </div>
      <List<Rule>
        loading={rules.isPending}
        dataSource={rules.data?.items ?? []}
        locale={{ emptyText: t('noRules') }}
        renderItem={(rule) => (
          <List.Item
            actions={[
              <Button key="edit" size="small" onClick={() => setEditing(rule)}>
                {t('edit')}
              </Button>,
              <Popconfirm
                key="delete"
                title={t('delete')}
                onConfirm={() => remove.mutate({ params: { path: { id: rule.id } } })}
              >
                <Button size="small" danger>
                  {t('delete')}
                </Button>
              </Popconfirm>,
            ]}
          >
            <Flex vertical gap={2} style={{ minWidth: 0 }}>
              <Space wrap size={4}>
                <StatusTag tone={rule.enabled ? 'info' : 'idle'}>{t(kindKey(rule.kind))}</StatusTag>
                <strong>{rule.regionName}</strong>
                {!rule.enabled && <StatusTag tone="idle">{t('disabled')}</StatusTag>}
              </Space>
              <span>
                {roles(rule.roles)}
                {rule.webhookName && ` · ${rule.webhookName}`}
                {rule.quietFrom && ` · ${t('quiet', { from: rule.quietFrom, until: rule.quietUntil ?? '' })}`}
              </span>
            </Flex>
          </List.Item>
        )}
      />
      <Muted>
        {t('defaults')}：
        {(rules.data?.defaults ?? []).map((d) => `${t(kindKey(d.kind))} → ${roles(d.roles)}`).join('；')}
      </Muted>
      {editing && (
        <RuleForm
          rule={editing === 'new' ? undefined : editing}
          webhooks={webhooks.data?.items ?? []}
          onClose={() => {
            setEditing(null);
            refresh();
          }}
        />
      )}
    </Flex>
  );
}

function RuleForm({
  rule,
  webhooks,
  onClose,
}: {
  rule: Rule | undefined;
  webhooks: Array<{ id: string; name: string }>;
  onClose: () => void;
}) {
  const t = useMessages(messages);
  const c = useMessages(common);
  const [form] = Form.useForm<RuleValues>();
  const create = $api.useMutation('post', RULES_PATH, { onSuccess: onClose });
  const update = $api.useMutation('put', `${RULES_PATH}/{id}`, { onSuccess: onClose });
  const clock = { pattern: CLOCK, message: 'HH:MM' };
  const submit = (values: RuleValues) => {
    const fields = {
      kind: values.kind,
      roles: values.roles ?? [],
      webhookId: values.webhookId ?? null,
      quietFrom: values.quietFrom?.trim() || null,
      quietUntil: values.quietUntil?.trim() || null,
      enabled: values.enabled,
    };
    if (rule) update.mutate({ params: { path: { id: rule.id } }, body: fields });
    else create.mutate({ body: { regionCode: values.regionCode, ...fields } });
  };
  return (
    <EditDrawer
      title={t(rule ? 'editRule' : 'newRule')}
      saving={create.isPending || update.isPending}
      onSave={() => form.submit()}
      onClose={onClose}
    >
      <Form<RuleValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          rule
            ? {
                ...rule,
                webhookId: rule.webhookId ?? undefined,
                quietFrom: rule.quietFrom ?? '',
                quietUntil: rule.quietUntil ?? '',
              }
            : { kind: 'endpoint_offline', roles: ['operator', 'admin'], enabled: true }
        }
      >
        <FailureAlert error={create.error ?? update.error} />
        {!rule && (
          <Form.Item
            name="regionCode"
            label={t('fieldRegion')}
            rules={[{ required: true, message: t('errorRequired', { field: t('fieldRegion') }) }]}
          >
            <RegionPicker />
          </Form.Item>
        )}
        <Form.Item name="kind" label={t('fieldKind')}>
          <Select options={KINDS.map((kind) => ({ value: kind, label: t(kindKey(kind)) }))} />
        </Form.Item>
        <Form.Item name="roles" label={t('fieldRoles')}>
          <Checkbox.Group options={ROLES.map((role) => ({ value: role, label: c(ROLE_KEY[role]) }))} />
        </Form.Item>
        <Form.Item name="webhookId" label={t('fieldWebhook')}>
          <Select
            allowClear
            placeholder={t('noWebhook')}
            options={webhooks.map((hook) => ({ value: hook.id, label: hook.name }))}
          />
        </Form.Item>
        <Form.Item label={t('fieldQuiet')} extra={t('quietHint')}>
          <Space>
            <Form.Item name="quietFrom" noStyle rules={[clock]}>
              <Input aria-label={t('quietFrom')} placeholder="22:00" style={{ width: 96 }} />
            </Form.Item>
            –
            <Form.Item name="quietUntil" noStyle rules={[clock]}>
              <Input aria-label={t('quietUntil')} placeholder="07:00" style={{ width: 96 }} />
            </Form.Item>
          </Space>
        </Form.Item>
        <Form.Item name="enabled" label={t('enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </EditDrawer>
  );
}
