import { PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { $api } from '../../api/client';
import { FailureAlert } from '../../components/failure';
import { useMessages } from '../../i18n/i18n';
import type { IssuedCode } from './EnrollmentCode';
import { messages } from './messages';

/** Registers a loudspeaker in the region; its one-time installation code goes to `onIssued`. */
export function AddEndpoint({
  region,
  onIssued,
}: {
  region: { code: string; name: string };
  onIssued: (issued: IssuedCode) => void;
}) {
  const t = useMessages(messages);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ name: string }>();
  const create = $api.useMutation('post', '/api/v1/endpoints');

  const close = () => {
    setOpen(false);
    create.reset();
    form.resetFields();
  };
  const submit = ({ name }: { name: string }) =>
    create.mutate(
      { body: { regionCode: region.code, name } },
      {
        onSuccess: (created) => {
          close();
          onIssued({
            endpointName: created.name,
            code: created.enrollmentCode,
            expiresAt: created.enrollmentExpiresAt,
          });
        },
      },
    );

  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
        {t('add')}
      </Button>
      <Modal
        open={open}
        title={t('addTitle', { name: region.name })}
        onCancel={close}
        okText={t('create')}
        onOk={() => form.submit()}
        confirmLoading={create.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item
            name="name"
            label={t('name')}
            rules={[{ required: true, whitespace: true, message: t('nameRequired') }, { max: 100 }]}
          >
            <Input placeholder={t('namePlaceholder')} maxLength={100} autoFocus />
          </Form.Item>
        </Form>
        <FailureAlert error={create.error} />
      </Modal>
    </>
  );
}
